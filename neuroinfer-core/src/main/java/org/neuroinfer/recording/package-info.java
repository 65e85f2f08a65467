/**
 * Measured recordings coming in: EDF/BDF and MNE-Python exports read into a {@link
 * org.neuroinfer.recording.ContinuousRecording}, its events, and the steps that turn it into the evoked response a
 * model reads (channels matched by name, volts, average reference, resampling, epochs, rejection, averaging).
 */
package org.neuroinfer.recording;
