import argparse

parser = argparse.ArgumentParser()
parser.add_argument("--port", help="Port for debug server to listen on", default=4000)
args = parser.parse_args()

# Import not at top of file to allow gevent to monkey patch uninterrupted
from CTFd import create_app

app = create_app()

app.run(debug=True, threaded=True, host="127.0.0.1", port=args.port)
