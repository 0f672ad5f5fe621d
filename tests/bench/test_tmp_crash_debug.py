import random, signal, time
import psycopg
from tests.cli.conftest import cli_env  # noqa: F401
from tests.cli.test_crash_resume import prepare, CONCURRENCY, llm_latency  # noqa: F401

def test_debug(cli_env) -> None:
    for attempt in range(1):
        jobs_csv = prepare(cli_env, 100)
        rng = random.Random(7 + attempt)
        for _ in range(4):
            proc = cli_env.popen("run", jobs_csv, "--concurrency", str(CONCURRENCY))
            time.sleep(rng.uniform(2.5, 5.0))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL); proc.wait()
        final = cli_env.run("run", jobs_csv, "--concurrency", str(CONCURRENCY), timeout=600)
        if final.returncode != 0:
            print("STDOUT", final.stdout[-3000:])
            with psycopg.connect(cli_env.db_url) as conn:
                for row in conn.execute("SELECT id, status, attempts, error, current_node FROM jobs WHERE status <> 'passed'"):
                    print("JOB", row)
                bad = [r[0] for r in conn.execute("SELECT id FROM jobs WHERE status <> 'passed'")]
                for row in conn.execute("SELECT e.job_id, e.node, e.event, e.at, e.detail FROM job_events e WHERE e.job_id = %s ORDER BY e.id", (bad[0],)):
                    print("EV", row)
                for row in conn.execute("SELECT checkpoint_id, parent_checkpoint_id, metadata->>'source', metadata->>'step', jsonb_object_keys(checkpoint->'channel_versions') FROM checkpoints WHERE thread_id = %s ORDER BY checkpoint_id", (bad[0],)):
                    print("CK", row)
                for row in conn.execute("SELECT checkpoint_id, task_id, idx, channel FROM checkpoint_writes WHERE thread_id = %s ORDER BY checkpoint_id", (bad[0],)):
                    print("WR", row)
                for row in conn.execute("SELECT id, status, attempts, lease_owner, started_at, finished_at, outcome FROM jobs WHERE id = %s", (bad[0],)):
                    print("JOBROW", row)
            assert False
        with psycopg.connect(cli_env.db_url) as conn:
            conn.execute("TRUNCATE jobs, batches CASCADE")
