from django.http import HttpResponse


def _v(request, *a, **k):
    return HttpResponse("")


inbox = bell = read = read_all = preferences = push_subscribe = rules = failed = console = _v
