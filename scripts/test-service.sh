#!/usr/bin/env bash
set -euo pipefail
echo "test-service: not yet"
