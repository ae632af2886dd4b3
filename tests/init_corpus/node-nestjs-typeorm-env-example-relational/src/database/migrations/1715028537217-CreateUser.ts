import { MigrationInterface, QueryRunner } from 'typeorm';
export class CreateUser1715028537217 implements MigrationInterface {
