package org.springframework.samples.petclinic
import org.springframework.boot.autoconfigure.SpringBootApplication
import org.springframework.boot.runApplication
@SpringBootApplication(proxyBeanMethods = false)
class PetClinicApplication
fun main(args: Array<String>) {
    runApplication<PetClinicApplication>(*args)
}
