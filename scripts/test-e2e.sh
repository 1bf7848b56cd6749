#!/usr/bin/env bash
set -euo pipefail
echo "test-e2e: not yet"
