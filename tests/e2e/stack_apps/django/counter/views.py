import redis
from django.conf import settings
from django.http import HttpResponse

from counter.models import Visit

GREETING = "hello"


def home(request):
    """Each request writes a row to Postgres and a counter in Redis, then reads both back."""
    Visit.objects.create()
    hits = redis.Redis.from_url(settings.REDIS_URL).incr("hits")
    return HttpResponse(f"{GREETING} from django: visits={Visit.objects.count()} hits={hits}",
                        content_type="text/plain")
