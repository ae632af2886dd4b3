package uk.gov.hmcts.reform.demo;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
@SpringBootApplication
public class Application {
        SpringApplication.run(Application.class, args);
