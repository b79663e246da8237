#!/bin/sh
set -e
exec python -m src.main "$@"
