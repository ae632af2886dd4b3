import os

import pika
import redis
from flask import Flask

GREETING = "hello"
app = Flask(__name__)
store = redis.Redis.from_url(os.environ["REDIS_URL"])


def queued() -> int:
    """Publish a persistent message to a durable queue, then read the queue's depth back."""
    with pika.BlockingConnection(pika.URLParameters(os.environ["AMQP_URL"])) as connection:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.queue_declare("visits", durable=True)
        channel.basic_publish("", "visits", b"1", pika.BasicProperties(delivery_mode=pika.DeliveryMode.Persistent))
        return channel.queue_declare("visits", durable=True, passive=True).method.message_count


@app.get("/")
def home():
    """Each request appends to a Redis list and a RabbitMQ queue, then reads both lengths back."""
    store.rpush("visits", "1")
    text = f"{GREETING} from flask: visits={store.llen('visits')} queued={queued()}"
    return text, 200, {"Content-Type": "text/plain"}
