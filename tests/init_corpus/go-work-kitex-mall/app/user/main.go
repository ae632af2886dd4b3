package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"time"

	"github.com/kitex-contrib/obs-opentelemetry/provider"

	"2501YTC/app/user/biz/dal"

	"github.com/cloudwego/kitex/pkg/limit"
	"github.com/kitex-contrib/obs-opentelemetry/tracing"

	"github.com/joho/godotenv"
	consul "github.com/kitex-contrib/registry-consul"

	"2501YTC/app/user/conf"
	"2501YTC/rpc_gen/kitex_gen/user/userservice"

	"github.com/cloudwego/kitex/pkg/klog"
	"github.com/cloudwego/kitex/pkg/rpcinfo"
	"github.com/cloudwego/kitex/server"
	kitexlogrus "github.com/kitex-contrib/obs-opentelemetry/logging/logrus"
	"go.uber.org/zap/zapcore"
	"gopkg.in/natefinch/lumberjack.v2"
)

func main() {
	// 读取环境变量
	_ = godotenv.Load()

	// 初始化数据库服务
	dal.Init()

	// 处理命令行参数，运行不同的服务实例
	port := flag.Int("port", 8081, "Service port")
	// weight := flag.Int("weight", 1, "Service weight")
	flag.Parse()

	// 初始化kitex服务
	opts := kitexInit()

	// 解析服务地址
	addr, err := net.ResolveTCPAddr("tcp", fmt.Sprintf(":%d", *port))
	if err != nil {
		panic(err)
	}
