"""Reminders so that nothing stalls, sent by ``flask reminders send`` from cron."""
