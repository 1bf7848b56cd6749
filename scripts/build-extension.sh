#!/usr/bin/env bash
set -euo pipefail
echo "build-extension: not yet"
