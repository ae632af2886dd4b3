const app = express();
