CREATE TABLE "Article" (
CREATE TABLE "ArticleTags" (
CREATE TABLE "Comment" (
CREATE TABLE "Tag" (
CREATE TABLE "User" (
CREATE TABLE "_UserFavorites" (
CREATE TABLE "_UserFollows" (
