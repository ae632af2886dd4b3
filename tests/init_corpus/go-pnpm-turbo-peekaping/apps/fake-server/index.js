const express = require("express");
const app = express();
const port = 3022;

const randomInt = (min, max) => {
  return Math.floor(Math.random() * (max - min + 1)) + min;
};


const simpleLogger = (req, res, next) => {
  const start = performance.now();

  res.on('finish', () => {
    const ms = (performance.now() - start).toFixed(1);
    console.log(
