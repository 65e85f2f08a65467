#!/usr/bin/env bash
# Installs Debian's h5py for the test that opens neuroinfer's HDF5 shards from Python (it is skipped without it).
set -euo pipefail
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-h5py
