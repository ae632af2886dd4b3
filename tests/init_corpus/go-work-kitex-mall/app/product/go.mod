module 2501YTC/app/product

go 1.22.10

replace github.com/apache/thrift => github.com/apache/thrift v0.13.0

require (
	github.com/cloudwego/kitex v0.12.1
	github.com/joho/godotenv v1.5.1
	github.com/kitex-contrib/obs-opentelemetry v0.2.9
	github.com/kitex-contrib/obs-opentelemetry/logging/logrus v0.0.0-20241120035129-55da83caab1b
	github.com/kitex-contrib/registry-consul v0.1.0
	github.com/kr/pretty v0.3.1
	github.com/meilisearch/meilisearch-go v0.30.0
	github.com/minio/minio-go/v7 v7.0.84
	github.com/redis/go-redis/v9 v9.7.0
	github.com/satori/go.uuid v1.2.0
	go.uber.org/zap v1.27.0
	gopkg.in/natefinch/lumberjack.v2 v2.2.1
	gopkg.in/validator.v2 v2.0.1
