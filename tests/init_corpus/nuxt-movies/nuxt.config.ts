const isDev = process.env.NODE_ENV === 'development'
    provider: 'proxy',
    providers: {
        provider: 'ipx',
