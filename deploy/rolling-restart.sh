#!/usr/bin/env bash
# Restart the tracker's Daphne processes one at a time, waiting for each to answer /healthz
# before the next goes down, so readers always have a process to reconnect to and editors'
# writes always have one to land on. Run as root after a deploy (docs/deploy.md).
set -euo pipefail

host="${TRACKER_HOST:-$(sed -n 's/^ALLOWED_HOSTS=\([^,]*\).*/\1/p' /etc/tracker/tracker.env)}"
units=$(systemctl list-units --plain --no-legend --state=active 'tracker-daphne@*.service' \
  | awk '{print $1}')
if [ -z "$units" ]; then
  echo "No running tracker-daphne@ units." >&2
  exit 1
fi

for unit in $units; do
  port="${unit#tracker-daphne@}"
  port="${port%.service}"
  echo "Restarting $unit"
  systemctl restart "$unit"
  healthy=""
  for _ in $(seq 60); do
    if curl -fsS -o /dev/null -H "Host: $host" "http://127.0.0.1:$port/healthz"; then
      healthy=yes
      break
    fi
    sleep 1
  done
  if [ -z "$healthy" ]; then
    echo "$unit is not healthy after 60 s; stopping here (journalctl -u $unit)." >&2
    exit 1
  fi
  # Let the readers that moved off it reconnect before the next process goes down.
  sleep "${TRACKER_RESTART_PAUSE:-5}"
done
echo "All tracker processes restarted."
