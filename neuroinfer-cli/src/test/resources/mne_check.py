"""MNE-Python's side of MneCrossCheckTest: a 512-Hz recording made in MNE, exported with the lines of
docs/recordings.md (read from the file given), its evoked response by MNE; or MNE reading a BDF/EDF file."""
import sys

import mne
import numpy as np

mne.set_log_level("ERROR")
if sys.argv[1] == "make":
    folder, doc_lines = sys.argv[2], open(sys.argv[3]).read()
    sf = 512.0
    names = mne.channels.make_standard_montage("biosemi64").ch_names
    n = int(sf * 20)
    rng = np.random.default_rng(0)
    data = rng.normal(0, 10e-6, (64, n))
    stim = np.zeros((1, n))
    for o in (np.arange(1, 19) * sf).astype(int):
        k = np.arange(0, int(0.3 * sf))
        data[:, o + k] += 5e-6 * np.sin(np.pi * k / (0.3 * sf))[None, :] * np.linspace(-1, 1, 64)[:, None]
        stim[0, o:o + 5] = 3
    info = mne.create_info(names + ["STI 014"], sf, ["eeg"] * 64 + ["stim"])
    import os
    os.chdir(folder)
    mne.io.RawArray(np.vstack([data, stim]), info).save("sub-01_raw.fif", overwrite=True)
    exec(doc_lines)
    raw = mne.io.read_raw_fif("sub-01_raw.fif", preload=True)
    events = mne.find_events(raw)
    eeg = raw.copy().pick("eeg").set_eeg_reference("average", projection=False)
    epochs = mne.Epochs(eeg, events, tmin=-0.2, tmax=1.0, baseline=(-0.2, 0), reject=dict(eeg=150e-6), preload=True)
    np.save("mne_evoked.npy", epochs.average().data)
    print(len(epochs))
else:
    f, export = sys.argv[2], np.load(sys.argv[3])
    raw = mne.io.read_raw_bdf(f, preload=True) if f.endswith(".bdf") else mne.io.read_raw_edf(f, preload=True)
    d = raw.get_data(picks="eeg")[:, :export["data"].shape[1]]
    print(raw.info["sfreq"], raw.ch_names[0], len(mne.find_events(raw)), np.abs(d - export["data"]).max())
