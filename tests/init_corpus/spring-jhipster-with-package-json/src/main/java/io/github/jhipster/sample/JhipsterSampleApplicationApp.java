import java.net.InetAddress;
@SpringBootApplication(exclude = { H2ConsoleAutoConfiguration.class })
public class JhipsterSampleApplicationApp {
        Environment env = app.run(args).getEnvironment();
        String serverPort = env.getProperty("server.port");
        var hostAddress = "localhost";
            hostAddress = InetAddress.getLocalHost().getHostAddress();
            LOG.warn("The host name could not be determined, using `localhost` as fallback");
            hostAddress,
