  username: string
