"""What `make stack` starts (the processes of compose.yaml), and what it refuses."""

from civgrid.ops import stack


def test_the_stack_is_two_web_processes_a_worker_and_a_scheduler():
    lines = stack.commands(ports=[8101, 8102], host="127.0.0.1", web_workers=2, tasks="rq")
    assert lines == [
        "serve --bind 127.0.0.1:8101 --workers 2 --timeout 60 --access-log ''",
        "serve --bind 127.0.0.1:8102 --workers 2 --timeout 60 --access-log ''",
        "rqworker --job-class django_tasks_rq.Job --with-scheduler default",
        "scheduler",
    ]


def test_on_the_database_queue_the_worker_is_db_worker():
    lines = stack.commands(ports=[8101], host="127.0.0.1", web_workers=1, tasks="db")
    assert lines[1] == "db_worker --no-reload"


def test_the_stack_refuses_sqlite_no_redis_and_no_secret_key():
    problems = stack.check_environment({"DATABASE_URL": "sqlite:///x.sqlite3"})
    assert len(problems) == 3
    assert "PostgreSQL" in problems[0] and "Redis" in problems[1] and "SECRET" in problems[2]
    ready = {
        "DATABASE_URL": "postgres://postgres@127.0.0.1/civgrid_stack",
        "CIVGRID_REDIS_URL": "redis://127.0.0.1:6379/2",
        "CIVGRID_SECRET_KEY": "k" * 50,
    }
    assert stack.check_environment(ready) == []
