package org.neuroinfer.recording;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.neuroinfer.io.AtomicFiles;

/**
 * European Data Format files: EDF (16-bit samples; Kemp et al., Electroencephalogr. Clin. Neurophysiol. 82:391,
 * 1992, and EDF+) and BioSemi's 24-bit BDF. A 256-byte header, 256 bytes per signal, then data records holding each
 * signal's samples in turn; a sample's physical value is {@code pmin + (d - dmin) (pmax - pmin) / (dmax - dmin)}.
 * The trigger channel (BDF "Status", EDF "Trigger"/"STI 014") gives the events; EDF+ annotation signals are left out.
 */
public final class EdfFile {
    /** The two layouts. */
    public enum Format {
        /** 16-bit little-endian samples. */
        EDF(2, "0       ", -32768, 32767),
        /** 24-bit little-endian samples, BioSemi. */
        BDF(3, "\u00ffBIOSEMI", -8388608, 8388607);

        final int bytes;
        final String version;
        final int digitalMin;
        final int digitalMax;

        Format(int bytes, String version, int digitalMin, int digitalMax) {
            this.bytes = bytes;
            this.version = version;
            this.digitalMin = digitalMin;
            this.digitalMax = digitalMax;
        }
    }

    private EdfFile() {
    }

    private record Signal(String label, String unit, double pmin, double pmax, int dmin, int dmax, int perRecord) {
        double gain() {
            return (pmax - pmin) / ((double) dmax - dmin);
        }

        boolean trigger() {
            String l = label.toLowerCase(Locale.ROOT);
            return l.equals("status") || l.equals("trigger") || l.equals("sti 014") || l.equals("sti014");
        }

        boolean annotation() {
            return label.equals("EDF Annotations") || label.equals("BDF Annotations");
        }
    }

    /**
     * Reads an EDF or BDF file: every signal except the trigger and annotation signals, in physical units (which
     * must be one for all of them), and the events of the trigger signal.
     *
     * @throws IllegalArgumentException naming the file and the field for a header that is not EDF/BDF, signals of
     *                                  different rates or units, or a truncated file
     */
    public static ContinuousRecording read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            byte[] fixed = in.readNBytes(256);
            if (fixed.length < 256) {
                throw new IllegalArgumentException(file + ": not an EDF or BDF file (" + fixed.length + " bytes, "
                        + "shorter than the 256-byte header)");
            }
            String version = new String(fixed, 0, 8, StandardCharsets.ISO_8859_1);
            Format format = version.equals(Format.BDF.version) ? Format.BDF
                    : version.equals(Format.EDF.version) ? Format.EDF : null;
            if (format == null) {
                throw new IllegalArgumentException(file + ": not an EDF or BDF file (version field '"
                        + version.strip() + "')");
            }
            int records = headerInt(fixed, 236, 8, file, "number of data records");
            double duration = headerDouble(fixed, 244, 8, file, "duration of a data record");
            int ns = headerInt(fixed, 252, 4, file, "number of signals");
            if (records < 1 || !(duration > 0) || ns < 1) {
                throw new IllegalArgumentException(file + ": header gives " + records + " records of " + duration
                        + " s and " + ns + " signals (each must be > 0; -1 records means an unfinished recording)");
            }
            byte[] sh = in.readNBytes(256 * ns);
            if (sh.length < 256 * ns) {
                throw new IllegalArgumentException(file + ": truncated inside the header of its " + ns + " signals");
            }
            List<Signal> signals = new ArrayList<>();
            for (int i = 0; i < ns; i++) {
                String label = field(sh, 16 * i, 16);
                signals.add(new Signal(label, field(sh, ns * 96 + 8 * i, 8),
                        headerDouble(sh, ns * 104 + 8 * i, 8, file, "physical minimum of " + label),
                        headerDouble(sh, ns * 112 + 8 * i, 8, file, "physical maximum of " + label),
                        headerInt(sh, ns * 120 + 8 * i, 8, file, "digital minimum of " + label),
                        headerInt(sh, ns * 128 + 8 * i, 8, file, "digital maximum of " + label),
                        headerInt(sh, ns * 216 + 8 * i, 8, file, "samples per record of " + label)));
            }
            List<Integer> eeg = new ArrayList<>();
            int trigger = -1;
            for (int i = 0; i < ns; i++) {
                Signal s = signals.get(i);
                if (s.trigger() && trigger < 0) {
                    trigger = i;
                } else if (!s.annotation()) {
                    eeg.add(i);
                }
            }
            if (eeg.isEmpty()) {
                throw new IllegalArgumentException(file + ": holds no data signals, only " + signals.stream()
                        .map(Signal::label).toList());
            }
            Signal first = signals.get(eeg.get(0));
            for (int i : eeg) {
                Signal s = signals.get(i);
                if (s.perRecord() != first.perRecord()) {
                    throw new IllegalArgumentException(file + ": signal " + s.label() + " has " + s.perRecord()
                            + " samples per record, " + first.label() + " " + first.perRecord() + "; signals of "
                            + "different rates are not read (leave them out when exporting)");
                }
                if (s.dmax() <= s.dmin() || s.pmax() == s.pmin()) {
                    throw new IllegalArgumentException(file + ": signal " + s.label() + " has digital range ["
                            + s.dmin() + ", " + s.dmax() + "] and physical range [" + s.pmin() + ", " + s.pmax()
                            + "]; both must be non-empty");
                }
            }
            String unit = unitOf(file, signals, eeg);
            int per = first.perRecord();
            int n = Math.multiplyExact(records, per);
            float[][] data = new float[eeg.size()][n];
            int[] status = trigger >= 0 ? new int[Math.multiplyExact(records, signals.get(trigger).perRecord())]
                    : null;
            int[] slot = new int[ns];
            java.util.Arrays.fill(slot, -1);
            for (int k = 0; k < eeg.size(); k++) {
                slot[eeg.get(k)] = k;
            }
            int recordBytes = signals.stream().mapToInt(s -> s.perRecord() * format.bytes).sum();
            byte[] rec = new byte[recordBytes];
            for (int r = 0; r < records; r++) {
                try {
                    in.readFully(rec);
                } catch (java.io.EOFException e) {
                    throw new IllegalArgumentException(file + ": truncated: the header promises " + records
                            + " data records, the file ends in record " + (r + 1));
                }
                int at = 0;
                for (int i = 0; i < ns; i++) {
                    Signal s = signals.get(i);
                    int m = s.perRecord();
                    if (slot[i] >= 0) {
                        float[] out = data[slot[i]];
                        double g = s.gain();
                        for (int j = 0; j < m; j++) {
                            out[r * m + j] = (float) (s.pmin() + (sample(rec, at + j * format.bytes, format) - s.dmin())
                                    * g);
                        }
                    } else if (i == trigger) {
                        for (int j = 0; j < m; j++) {
                            status[r * m + j] = sample(rec, at + j * format.bytes, format);
                        }
                    }
                    at += m * format.bytes;
                }
            }
            Events events = Events.NONE;
            if (status != null) {
                int tm = signals.get(trigger).perRecord();
                if (tm != per) {
                    throw new IllegalArgumentException(file + ": the trigger signal has " + tm + " samples per record,"
                            + " the data " + per + "; give the events in a CSV file instead (--events)");
                }
                events = Events.ofTriggerChannel(status);
            }
            List<String> names = eeg.stream().map(i -> signals.get(i).label()).toList();
            return new ContinuousRecording(names, data, per / duration, unit, events, format.name());
        }
    }

    private static String unitOf(Path file, List<Signal> signals, List<Integer> eeg) {
        String unit = signals.get(eeg.get(0)).unit();
        for (int i : eeg) {
            Signal s = signals.get(i);
            if (!s.unit().equals(unit)) {
                throw new IllegalArgumentException(file + ": signal " + s.label() + " is in '" + s.unit() + "', "
                        + signals.get(eeg.get(0)).label() + " in '" + unit + "'; the data signals must share one unit "
                        + "(leave the others, e.g. temperature or GSR, out when exporting)");
            }
        }
        return unit;
    }

    private static int sample(byte[] b, int at, Format f) {
        if (f == Format.BDF) {
            return (b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8) | (b[at + 2] << 16);
        }
        return (b[at] & 0xFF) | (b[at + 1] << 8);
    }

    private static String field(byte[] b, int at, int len) {
        return new String(b, at, len, StandardCharsets.ISO_8859_1).strip();
    }

    private static int headerInt(byte[] b, int at, int len, Path file, String what) {
        double v = headerDouble(b, at, len, file, what);
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(file + ": header field '" + what + "' is '" + field(b, at, len)
                    + "', not an integer");
        }
        return (int) v;
    }

    private static double headerDouble(byte[] b, int at, int len, Path file, String what) {
        String f = field(b, at, len);
        try {
            return Double.parseDouble(f);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": header field '" + what + "' is '" + f + "', not a number");
        }
    }

    /**
     * Writes {@code r} (in any voltage unit) as EDF or BDF in uV atomically: one-second data records (the rate must
     * be a whole number of Hz; the last record is padded with zeros), each signal's physical range the symmetric
     * range of all data signals,
     * and a trigger signal ("Status" for BDF, "Trigger" for EDF) holding each event's code for one sample.
     */
    public static void write(Path file, ContinuousRecording r, Format format, boolean force) throws IOException {
        int per = (int) Math.round(r.sampleRate());
        if (Math.abs(per - r.sampleRate()) > 1e-9 * r.sampleRate()) {
            throw new IllegalArgumentException("EDF/BDF records of one second need a whole number of Hz, got "
                    + r.sampleRate());
        }
        int ns = r.channelNames().size() + 1;
        int records = Math.max(1, (r.samples() + per - 1) / per);
        double toFile = Units.voltsPer(r.unit(), "unit") / 1e-6; // written in uV, as BioSemi does
        double range = 0;
        for (float[] ch : r.data()) {
            for (float v : ch) {
                range = Math.max(range, Math.abs(v * toFile));
            }
        }
        String prange = headerNumber(range == 0 ? 1 : range);
        double pmax = Double.parseDouble(prange);
        AtomicFiles.write(file, force, out -> {
            StringBuilder h = new StringBuilder();
            h.append(format.version).append(pad("X X X X", 80)).append(pad("Startdate 01-JAN-2000 X neuroinfer X", 80))
                    .append("01.01.00").append("00.00.00").append(pad(Integer.toString(256 * (ns + 1)), 8))
                    .append(pad(format == Format.BDF ? "24BIT" : "", 44)).append(pad(Integer.toString(records), 8))
                    .append(pad("1", 8)).append(pad(Integer.toString(ns), 4));
            List<String> labels = new ArrayList<>(r.channelNames());
            labels.add(format == Format.BDF ? "Status" : "Trigger");
            labels.forEach(l -> h.append(pad(l, 16)));
            labels.forEach(l -> h.append(pad("", 80)));
            for (int i = 0; i < ns; i++) {
                h.append(pad(i < ns - 1 ? "uV" : "Boolean", 8));
            }
            for (int i = 0; i < ns; i++) {
                h.append(pad(i < ns - 1 ? "-" + prange : Integer.toString(format.digitalMin), 8));
            }
            for (int i = 0; i < ns; i++) {
                h.append(pad(i < ns - 1 ? prange : Integer.toString(format.digitalMax), 8));
            }
            for (int i = 0; i < ns; i++) {
                h.append(pad(Integer.toString(format.digitalMin), 8));
            }
            for (int i = 0; i < ns; i++) {
                h.append(pad(Integer.toString(format.digitalMax), 8));
            }
            labels.forEach(l -> h.append(pad("", 80)));
            labels.forEach(l -> h.append(pad(Integer.toString(per), 8)));
            labels.forEach(l -> h.append(pad("", 32)));
            out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
            int[] status = new int[records * per];
            for (int e = 0; e < r.events().size(); e++) {
                if (r.events().samples()[e] < status.length) {
                    status[r.events().samples()[e]] = r.events().codes()[e];
                }
            }
            double scale = ((double) format.digitalMax - format.digitalMin) / (2 * pmax);
            byte[] rec = new byte[ns * per * format.bytes];
            for (int k = 0; k < records; k++) {
                int at = 0;
                for (int i = 0; i < ns; i++) {
                    for (int j = 0; j < per; j++) {
                        int idx = k * per + j;
                        int d;
                        if (i < ns - 1) {
                            double v = idx < r.samples() ? r.data()[i][idx] * toFile : 0;
                            d = (int) Math.max(format.digitalMin, Math.min(format.digitalMax,
                                    Math.round(format.digitalMin + (v + pmax) * scale)));
                        } else {
                            d = status[idx];
                        }
                        rec[at++] = (byte) d;
                        rec[at++] = (byte) (d >> 8);
                        if (format == Format.BDF) {
                            rec[at++] = (byte) (d >> 16);
                        }
                    }
                }
                out.write(rec);
            }
        });
    }

    /** The shortest decimal of at most 7 characters that is >= {@code v} (a header field has 8, one for '-'). */
    private static String headerNumber(double v) {
        for (int digits = 7; digits >= 1; digits--) {
            String t = new java.math.BigDecimal(v).round(new java.math.MathContext(digits, java.math.RoundingMode.CEILING))
                    .stripTrailingZeros().toPlainString();
            if (t.length() <= 7) {
                return t;
            }
        }
        throw new IllegalArgumentException("a physical range of " + v + " uV does not fit an EDF header field");
    }

    private static String pad(String s, int len) {
        if (s.length() > len) {
            throw new IllegalArgumentException("EDF header field '" + s + "' is longer than " + len + " characters");
        }
        return s + " ".repeat(len - s.length());
    }

    /** Whether {@code file} starts like an EDF or BDF file. */
    public static boolean looksLike(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(8);
            String v = new String(b, StandardCharsets.ISO_8859_1);
            return v.equals(Format.BDF.version) || v.equals(Format.EDF.version);
        }
    }
}
