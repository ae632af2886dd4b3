package main
	"github.com/kitex-contrib/obs-opentelemetry/provider"
func main() {
	port := flag.Int("port", 8081, "Service port")
	addr, err := net.ResolveTCPAddr("tcp", fmt.Sprintf(":%d", *port))
	opts = append(opts, server.WithServiceAddr(addr))
	p := provider.NewOpenTelemetryProvider(
		provider.WithServiceName(conf.GetConf().Kitex.Service),
		provider.WithExportEndpoint(conf.GetConf().OpenTelemetry.Endpoint),
		provider.WithInsecure(),
	defer func(p provider.OtelProvider, ctx context.Context) {
	// address
	// addr, err := net.ResolveTCPAddr("tcp", conf.GetConf().Kitex.Address)
	// opts = append(opts, server.WithServiceAddr(addr))
	r, err := consul.NewConsulRegister(conf.GetConf().Registry.RegistryAddress[0])
