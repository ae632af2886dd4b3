@SpringBootApplication
public class PetClinicApplication {
		SpringApplication.run(PetClinicApplication.class, args);
