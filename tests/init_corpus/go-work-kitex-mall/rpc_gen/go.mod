module 2501YTC/rpc_gen

go 1.22.10

replace github.com/apache/thrift => github.com/apache/thrift v0.13.0

require (
	github.com/cloudwego/fastpb v0.0.5
	github.com/cloudwego/kitex v0.12.1
	google.golang.org/protobuf v1.36.1
