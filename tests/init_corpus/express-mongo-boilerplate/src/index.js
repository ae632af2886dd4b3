  server = app.listen(config.port, () => {
    logger.info(`Listening to port ${config.port}`);
