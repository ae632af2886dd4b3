@SpringBootApplication
public class RealWorldApplication {
    SpringApplication.run(RealWorldApplication.class, args);
