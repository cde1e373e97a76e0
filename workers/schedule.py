"""What runs on a schedule (registered with RQ's cron scheduler)."""

from __future__ import annotations

from rq.cron import CronScheduler

from workers import alert_jobs, forecast_jobs, jobs

NIGHTLY_FORECASTS = "30 0 * * *"
# 06:00 UTC is morning in every Russian zone; the job sends only in the first five days of a month (a day missed
# while the scheduler was down is caught up the next morning, and nobody gets a letter twice).
MONTHLY_REPORTS = "0 6 * * *"
# Each place is fetched hourly (the source's own rhythm); checking every five minutes gets a new place its weather soon.
# Without WATTBOARD_WEATHER_URL the job does nothing.
WEATHER_EVERY_S = 300
WARM_EVERY_S = 60


def register_jobs(scheduler: CronScheduler) -> None:
    scheduler.register(jobs.refresh_device_status, queue_name="default", interval=60)
    # What readers open first, computed before they ask: within a minute of new readings, a new hour or a release.
    scheduler.register(jobs.warm_answers, queue_name="default", interval=WARM_EVERY_S, result_ttl=60)
    scheduler.register(jobs.poll_due_partners, queue_name="ingest", interval=30)
    scheduler.register(jobs.pull_weather, queue_name="ingest", interval=WEATHER_EVERY_S)
    # What people sent the bot: a code links their chat within seconds. Without a bot token the job does nothing.
    scheduler.register(jobs.poll_telegram, queue_name="delivery", interval=5, result_ttl=60)
    scheduler.register(forecast_jobs.refresh_changed_points, queue_name="forecast", interval=60)
    scheduler.register(alert_jobs.consume_alert_events, queue_name="alerts", interval=2, result_ttl=60)
    scheduler.register(alert_jobs.deliver_alerts, queue_name="delivery", interval=3, result_ttl=60)
    scheduler.register(alert_jobs.evaluate_alert_rules, queue_name="alerts", interval=300)
    scheduler.register(alert_jobs.repost_firing_alerts, queue_name="delivery", interval=300)
    scheduler.register(alert_jobs.sync_alertmanager_config, queue_name="alerts", interval=60)
    # 00:30 UTC is past local midnight in every Russian zone (UTC+2 … UTC+12): yesterday is complete everywhere.
    scheduler.register(jobs.send_monthly_reports, queue_name="delivery", cron=MONTHLY_REPORTS)
    scheduler.register(forecast_jobs.nightly_forecasts, queue_name="forecast", cron=NIGHTLY_FORECASTS, job_timeout=600)
