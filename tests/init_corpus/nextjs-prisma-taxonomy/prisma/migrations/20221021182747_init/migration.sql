CREATE TABLE `accounts` (
    `provider` VARCHAR(191) NOT NULL,
    `providerAccountId` VARCHAR(191) NOT NULL,
    UNIQUE INDEX `accounts_provider_providerAccountId_key`(`provider`, `providerAccountId`),
CREATE TABLE `sessions` (
CREATE TABLE `users` (
CREATE TABLE `verification_tokens` (
CREATE TABLE `posts` (
