      apiKey: process.env.TMDB_API_KEY || '',
