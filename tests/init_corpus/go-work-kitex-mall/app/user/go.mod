module 2501YTC/app/user

go 1.22.10

replace (
	2501YTC/rpc_gen => ../../rpc_gen
	github.com/apache/thrift => github.com/apache/thrift v0.13.0
)

require (
	2501YTC/rpc_gen v0.0.0-00010101000000-000000000000
	github.com/cloudwego/kitex v0.12.1
	github.com/joho/godotenv v1.5.1
	github.com/kitex-contrib/obs-opentelemetry v0.2.9
	github.com/kitex-contrib/obs-opentelemetry/logging/logrus v0.0.0-20241120035129-55da83caab1b
	github.com/kitex-contrib/registry-consul v0.1.0
	github.com/kr/pretty v0.3.1
	github.com/pkg/errors v0.9.1
	github.com/redis/go-redis/v9 v9.7.0
	go.uber.org/zap v1.27.0
