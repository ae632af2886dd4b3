import { NestFactory, Reflector } from '@nestjs/core';
import { AppModule } from './app.module';
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(configService.getOrThrow('app.port', { infer: true }));
}
void bootstrap();
