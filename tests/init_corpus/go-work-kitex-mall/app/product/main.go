package main
	"github.com/kitex-contrib/obs-opentelemetry/provider"
func main() {
	addr, err := net.ResolveTCPAddr("tcp", conf.GetConf().Kitex.Address)
	opts = append(opts, server.WithServiceAddr(addr))
	p := provider.NewOpenTelemetryProvider(
		provider.WithServiceName(conf.GetConf().Kitex.Service),
		provider.WithExportEndpoint(conf.GetConf().OpenTelemetry.Endpoint),
		provider.WithInsecure(),
	defer func(p provider.OtelProvider, ctx context.Context) {
	r, err := consul.NewConsulRegister(conf.GetConf().Registry.RegistryAddress[0])
