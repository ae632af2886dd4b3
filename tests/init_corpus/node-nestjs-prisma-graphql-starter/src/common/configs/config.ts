import type { Config } from './config.interface';

const config: Config = {
  nest: {
    port: 3000,
  },
};

export default (): Config => config;
