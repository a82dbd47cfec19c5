<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>HistoryPlot</name>
    <message>
        <source>%1: empty file, expected a training history CSV</source>
        <translation>%1: leere Datei, Trainingsverlauf-CSV erwartet</translation>
    </message>
    <message>
        <source>%1:%2: duplicate column &apos;%3&apos;</source>
        <translation>%1:%2: doppelte Spalte &apos;%3&apos;</translation>
    </message>
    <message>
        <source>%1:%2: missing column &apos;%3&apos; (header: %4)</source>
        <translation>%1:%2: Spalte &apos;%3&apos; fehlt (Kopfzeile: %4)</translation>
    </message>
    <message>
        <source>%1:%2: expected %3 fields as in the header, found %4</source>
        <translation>%1:%2: %3 Felder wie in der Kopfzeile erwartet, %4 gefunden</translation>
    </message>
    <message>
        <source>%1:%2: column &apos;%3&apos;: &apos;%4&apos; is not a number</source>
        <translation>%1:%2: Spalte &apos;%3&apos;: &apos;%4&apos; ist keine Zahl</translation>
    </message>
    <message>
        <source>%1: no epoch rows after the header</source>
        <translation>%1: keine Epochenzeilen nach der Kopfzeile</translation>
    </message>
    <message>
        <source>%1: cannot read: %2</source>
        <translation>%1: nicht lesbar: %2</translation>
    </message>
    <message>
        <source>Training history</source>
        <translation>Trainingsverlauf</translation>
    </message>
    <message>
        <source>epoch %1</source>
        <translation>Epoche %1</translation>
    </message>
    <message>
        <source>epochs %1–%2</source>
        <translation>Epochen %1–%2</translation>
    </message>
    <message>
        <source>best validation loss (full) %1 at epoch %2</source>
        <translation>bester Validierungsverlust (full) %1 in Epoche %2</translation>
    </message>
    <message>
        <source>max |full − stream| %1</source>
        <translation>max. |full − stream| %1</translation>
    </message>
    <message>
        <source>%1 samples/s</source>
        <translation>%1 Proben/s</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>Epoche</translation>
    </message>
    <message>
        <source>loss (log scale)</source>
        <translation>Verlust (log. Skala)</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <source>train</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>validation, full</source>
        <translation>Validierung, full</translation>
    </message>
    <message>
        <source>validation, stream (KV cache)</source>
        <translation>Validierung, stream (KV-Cache)</translation>
    </message>
    <message>
        <source>best epoch (full)</source>
        <translation>beste Epoche (full)</translation>
    </message>
    <message>
        <source>%1: cannot write PNG</source>
        <translation>%1: PNG kann nicht geschrieben werden</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>crosshair</source>
        <translation>Fadenkreuz</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::BenchPanel</name>
    <message>
        <source>model&apos;s (e.g. 20,50,150)</source>
        <translation>des Modells (z. B. 20,50,150)</translation>
    </message>
    <message>
        <source>slices/2</source>
        <translation>Schichten/2</translation>
    </message>
    <message>
        <source>Workload</source>
        <translation>Arbeitslast</translation>
    </message>
    <message>
        <source>Config (no model file)</source>
        <translation>Konfiguration (ohne Modelldatei)</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Batch</translation>
    </message>
    <message>
        <source>Slices</source>
        <translation>Schichten</translation>
    </message>
    <message>
        <source>Chunk (stream)</source>
        <translation>Block (Stream)</translation>
    </message>
    <message>
        <source>Edit depth (prefix)</source>
        <translation>Änderungstiefe (Präfix)</translation>
    </message>
    <message>
        <source>Cache</source>
        <translation>Cache</translation>
    </message>
    <message>
        <source>KV precision</source>
        <translation>KV-Genauigkeit</translation>
    </message>
    <message>
        <source>Compute precision</source>
        <translation>Rechengenauigkeit</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>Threads</translation>
    </message>
    <message>
        <source>Repetitions</source>
        <translation>Wiederholungen</translation>
    </message>
    <message>
        <source>Warm-up runs</source>
        <translation>Aufwärmläufe</translation>
    </message>
    <message>
        <source>Run sweep</source>
        <translation>Sweep starten</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>No results loaded.</source>
        <translation>Keine Ergebnisse geladen.</translation>
    </message>
    <message>
        <source>Load JSON…</source>
        <translation>JSON laden…</translation>
    </message>
    <message>
        <source>Save JSON…</source>
        <translation>JSON speichern…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV exportieren…</translation>
    </message>
    <message>
        <source>Export chart…</source>
        <translation>Diagramm exportieren…</translation>
    </message>
    <message>
        <source>Export report…</source>
        <translation>Bericht exportieren…</translation>
    </message>
    <message>
        <source>%1 results%2</source>
        <translation>%1 Ergebnisse%2</translation>
    </message>
    <message>
        <source> (cancelled sweep: finished runs only)</source>
        <translation> (Sweep abgebrochen: nur fertige Läufe)</translation>
    </message>
    <message>
        <source>no chart to export</source>
        <translation>kein Diagramm zum Exportieren</translation>
    </message>
    <message>
        <source>Sweep failed: %1</source>
        <translation>Sweep fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Load results</source>
        <translation>Ergebnisse laden</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Save results</source>
        <translation>Ergebnisse speichern</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>CSV exportieren</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export chart</source>
        <translation>Diagramm exportieren</translation>
    </message>
    <message>
        <source>PNG (*.png);;SVG (*.svg)</source>
        <translation>PNG (*.png);;SVG (*.svg)</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>Bericht exportieren</translation>
    </message>
    <message>
        <source>PDF (*.pdf);;HTML (*.html)</source>
        <translation>PDF (*.pdf);;HTML (*.html)</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::BenchResultsModel</name>
    <message>
        <source>reference</source>
        <translation>Referenz</translation>
    </message>
    <message>
        <source>group</source>
        <translation>Gruppe</translation>
    </message>
    <message>
        <source>point</source>
        <translation>Punkt</translation>
    </message>
    <message>
        <source>setting</source>
        <translation>Einstellung</translation>
    </message>
    <message>
        <source>cold</source>
        <translation>kalt</translation>
    </message>
    <message>
        <source>median</source>
        <translation>Median</translation>
    </message>
    <message>
        <source>IQR</source>
        <translation>IQR</translation>
    </message>
    <message>
        <source>speedup</source>
        <translation>Beschleunigung</translation>
    </message>
    <message>
        <source>CI95 low</source>
        <translation>KI95 unten</translation>
    </message>
    <message>
        <source>CI95 high</source>
        <translation>KI95 oben</translation>
    </message>
    <message>
        <source>max |diff|</source>
        <translation>max. |Diff.|</translation>
    </message>
    <message>
        <source>cache MB</source>
        <translation>Cache MB</translation>
    </message>
    <message>
        <source>model speedup</source>
        <translation>Modell-Beschleunigung</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::CaseModel</name>
    <message>
        <source>% of reference max</source>
        <translation>% des Referenzmaximums</translation>
    </message>
    <message>
        <source>Gy per primary</source>
        <translation>Gy pro Primärteilchen</translation>
    </message>
    <message>
        <source>Gy for %1 protons</source>
        <translation>Gy für %1 Protonen</translation>
    </message>
    <message>
        <source>stale: computed on a different CT</source>
        <translation>veraltet: auf einem anderen CT berechnet</translation>
    </message>
    <message>
        <source>stale: computed on the CT before edit %1</source>
        <translation>veraltet: auf dem CT vor Änderung %1 berechnet</translation>
    </message>
    <message>
        <source>%1 (stale)</source>
        <translation>%1 (veraltet)</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::ComparePanel</name>
    <message>
        <source>auto</source>
        <translation>auto</translation>
    </message>
    <message>
        <source>γ failed: %1</source>
        <translation>γ fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>max |Δ| %1 % of ref. max
mean |Δ| %2 %
high-dose mean rel. %3 %</source>
        <translation>max. |Δ| %1 % des Ref.-Max.
mittl. |Δ| %2 %
Hochdosis mittl. rel. %3 %</translation>
    </message>
    <message>
        <source>Select two doses to compare.</source>
        <translation>Zwei Dosen zum Vergleich wählen.</translation>
    </message>
    <message>
        <source>γ not computed</source>
        <translation>γ nicht berechnet</translation>
    </message>
    <message>
        <source>Δ [% of max]</source>
        <translation>Δ [% des Max.]</translation>
    </message>
    <message>
        <source>Δ/D [%]</source>
        <translation>Δ/D [%]</translation>
    </message>
    <message>
        <source>computing γ…</source>
        <translation>berechne γ…</translation>
    </message>
    <message>
        <source>γ histogram</source>
        <translation>γ-Histogramm</translation>
    </message>
    <message>
        <source>γ (bin centre)</source>
        <translation>γ (Klassenmitte)</translation>
    </message>
    <message>
        <source>voxels</source>
        <translation>Voxel</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Referenz</translation>
    </message>
    <message>
        <source>Evaluated</source>
        <translation>Bewertet</translation>
    </message>
    <message>
        <source>Map</source>
        <translation>Karte</translation>
    </message>
    <message>
        <source>Range ±</source>
        <translation>Bereich ±</translation>
    </message>
    <message>
        <source>γ dose</source>
        <translation>γ Dosis</translation>
    </message>
    <message>
        <source>γ distance</source>
        <translation>γ Abstand</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>Schwelle</translation>
    </message>
    <message>
        <source>Local γ</source>
        <translation>Lokales γ</translation>
    </message>
    <message>
        <source>Compute γ</source>
        <translation>γ berechnen</translation>
    </message>
    <message>
        <source>Difference (% of reference max)</source>
        <translation>Differenz (% des Referenzmaximums)</translation>
    </message>
    <message>
        <source>Relative difference (% of local dose)</source>
        <translation>Relative Differenz (% der lokalen Dosis)</translation>
    </message>
    <message>
        <source>γ index</source>
        <translation>γ-Index</translation>
    </message>
    <message>
        <source>γ cancelled</source>
        <translation>γ abgebrochen</translation>
    </message>
    <message>
        <source>“%1” is %2</source>
        <translation>„%1“ ist %2</translation>
    </message>
    <message>
        <source>%1 %/%2 mm local, threshold %3 % of reference max</source>
        <translation>%1 %/%2 mm lokal, Schwelle %3 % des Referenzmaximums</translation>
    </message>
    <message>
        <source>%1 % of reference max/%2 mm, threshold %3 % of reference max</source>
        <translation>%1 % des Referenzmaximums/%2 mm, Schwelle %3 % des Referenzmaximums</translation>
    </message>
    <message>
        <source>γ capped at %1</source>
        <translation>γ begrenzt auf %1</translation>
    </message>
    <message>
        <source>max γ %1</source>
        <translation>max. γ %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;γ pass rate %1 %&lt;/b&gt;&lt;br&gt;(%2 of %3 voxels; DoTA definition %4 %)&lt;br&gt;mean γ %5, %6&lt;br&gt;&lt;small&gt;%7&lt;/small&gt;</source>
        <translation>&lt;b&gt;γ-Bestehensrate %1 %&lt;/b&gt;&lt;br&gt;(%2 von %3 Voxeln; DoTA-Definition %4 %)&lt;br&gt;mittleres γ %5, %6&lt;br&gt;&lt;small&gt;%7&lt;/small&gt;</translation>
    </message>
    <message>
        <source>Dose-difference criterion: % of the reference maximum (global) or of the local reference dose (local γ)</source>
        <translation>Dosisdifferenz-Kriterium: % des Referenzmaximums (global) oder der lokalen Referenzdosis (lokales γ)</translation>
    </message>
    <message>
        <source>Distance-to-agreement criterion in mm</source>
        <translation>Abstandskriterium (DTA) in mm</translation>
    </message>
    <message>
        <source>Low-dose threshold: voxels below this % of the reference maximum are not evaluated (same default as dotakv compare and dotakv report)</source>
        <translation>Niedrigdosis-Schwelle: Voxel unter diesem % des Referenzmaximums werden nicht bewertet (gleiche Vorgabe wie dotakv compare und dotakv report)</translation>
    </message>
    <message>
        <source>Local γ: the dose criterion is relative to the local reference dose</source>
        <translation>Lokales γ: das Dosiskriterium bezieht sich auf die lokale Referenzdosis</translation>
    </message>
    <message>
        <source>γ is searched up to %1 × the distance criterion and capped at %1</source>
        <translation>γ wird bis %1 × Abstandskriterium gesucht und auf %1 begrenzt</translation>
    </message>
    <message>
        <source> % of max</source>
        <translation> % vom Max.</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::DigitsController</name>
    <message>
        <source>No digits model loaded: choose a model file (Model…)</source>
        <translation>Kein Ziffernmodell geladen: Modelldatei wählen (Modell…)</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::DigitsPanel</name>
    <message>
        <source>Latency sweep finished</source>
        <translation>Latenzmessung abgeschlossen</translation>
    </message>
    <message>
        <source>No digits model: %1 not found. Choose a model file with “Model…” (one written by `dotakv digits train`).</source>
        <translation>Kein Ziffernmodell: %1 nicht gefunden. Eine Modelldatei mit „Modell…“ wählen (geschrieben von `dotakv digits train`).</translation>
    </message>
    <message>
        <source>No digits model: %1</source>
        <translation>Kein Ziffernmodell: %1</translation>
    </message>
    <message>
        <source>Could not load the digits model %1</source>
        <translation>Ziffernmodell %1 konnte nicht geladen werden</translation>
    </message>
    <message>
        <source>Digits model %1 loaded</source>
        <translation>Ziffernmodell %1 geladen</translation>
    </message>
    <message>
        <source>Could not open %1</source>
        <translation>%1 konnte nicht geöffnet werden</translation>
    </message>
    <message>
        <source>Opened %1 (%2×%3 px)</source>
        <translation>%1 geöffnet (%2×%3 px)</translation>
    </message>
    <message>
        <source>No digits model</source>
        <translation>Kein Ziffernmodell</translation>
    </message>
    <message>
        <source>Choose a model file with “Model…”.</source>
        <translation>Eine Modelldatei mit „Modell…“ wählen.</translation>
    </message>
    <message>
        <source>Could not load the benchmark %1</source>
        <translation>Benchmark %1 konnte nicht geladen werden</translation>
    </message>
    <message>
        <source>Open a digit-string image</source>
        <translation>Bild einer Ziffernfolge öffnen</translation>
    </message>
    <message>
        <source>PNG images (*.png);;All files (*)</source>
        <translation>PNG-Bilder (*.png);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Choose a digits model</source>
        <translation>Ziffernmodell wählen</translation>
    </message>
    <message>
        <source>Digits models (*.h5);;All files (*)</source>
        <translation>Ziffernmodelle (*.h5);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Load a digits benchmark</source>
        <translation>Ziffern-Benchmark laden</translation>
    </message>
    <message>
        <source>Benchmark JSON (*.json);;All files (*)</source>
        <translation>Benchmark-JSON (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Latency sweep failed</source>
        <translation>Latenzmessung fehlgeschlagen</translation>
    </message>
    <message>
        <source>No test string</source>
        <translation>Keine Testziffernfolge</translation>
    </message>
    <message>
        <source>Reading the digits failed</source>
        <translation>Lesen der Ziffern fehlgeschlagen</translation>
    </message>
    <message>
        <source>(no digits)</source>
        <translation>(keine Ziffern)</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no: length limit</source>
        <translation>nein: Längengrenze</translation>
    </message>
    <message>
        <source>Draw digits on the canvas (or open a PNG, or pick a random test string), then Read.</source>
        <translation>Ziffern auf die Zeichenfläche malen (oder ein PNG öffnen oder eine zufällige Testfolge wählen), dann Lesen.</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>%1 (IQR %2–%3, n = %4)</source>
        <translation>%1 (IQR %2–%3, n = %4)</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; · encoder %2 · first token %3 · per token: median %4 · KV cache %5 (%6) · beam %7 · total %8</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; · Encoder %2 · erstes Token %3 · pro Token: Median %4 · KV-Cache %5 (%6) · Strahl %7 · gesamt %8</translation>
    </message>
    <message>
        <source>Mode that ran (requested → resolved). First token: encoder and first decoding step. Per token: the later steps, one run each. KV cache: self + cross rows in use.</source>
        <translation>Ausgeführter Modus (angefordert → aufgelöst). Erstes Token: Encoder und erster Decodierschritt. Pro Token: die späteren Schritte, je ein Lauf. KV-Cache: belegte Self- und Cross-Zeilen.</translation>
    </message>
    <message>
        <source>No calibration (dotakv calibrate --family digits): auto uses full.</source>
        <translation>Keine Kalibrierung (dotakv calibrate --family digits): Auto nimmt full.</translation>
    </message>
    <message>
        <source>Test string %1 — read correctly ✓</source>
        <translation>Testfolge %1 — richtig gelesen ✓</translation>
    </message>
    <message>
        <source>Test string %1 — read differs ✗</source>
        <translation>Testfolge %1 — Lesung weicht ab ✗</translation>
    </message>
    <message>
        <source>Test string %1</source>
        <translation>Testfolge %1</translation>
    </message>
    <message>
        <source>Hover a token to see where the model looked in the image.</source>
        <translation>Maus über ein Token bewegen, um zu sehen, wohin das Modell im Bild geschaut hat.</translation>
    </message>
    <message>
        <source>Token %1 “%2”: attention peaks on encoder columns %3–%4 (x %5–%6 px)</source>
        <translation>Token %1 „%2“: Aufmerksamkeit am größten auf Encoder-Spalten %3–%4 (x %5–%6 px)</translation>
    </message>
    <message>
        <source>%1: %2 k parameters, up to %3 digits</source>
        <translation>%1: %2 k Parameter, bis zu %3 Ziffern</translation>
    </message>
    <message>
        <source>(trained up to %1)</source>
        <translation>(trainiert bis %1)</translation>
    </message>
    <message>
        <source>Read time vs string length</source>
        <translation>Lesezeit über Folgenlänge</translation>
    </message>
    <message>
        <source>digits read</source>
        <translation>gelesene Ziffern</translation>
    </message>
    <message>
        <source>read time [ms]</source>
        <translation>Lesezeit [ms]</translation>
    </message>
    <message>
        <source>No benchmark yet: load one (dotakv bench --family digits --json FILE) or measure here.</source>
        <translation>Noch kein Benchmark: einen laden (dotakv bench --family digits --json DATEI) oder hier messen.</translation>
    </message>
    <message>
        <source>Measured here on synthetic strings (%1 px per digit), 5 reads per point after a warm-up: medians, bars = interquartile range.</source>
        <translation>Hier gemessen an synthetischen Folgen (%1 px pro Ziffer), 5 Lesungen pro Punkt nach einer Aufwärmrunde: Mediane, Balken = Interquartilsabstand.</translation>
    </message>
    <message>
        <source>From %1: medians, bars = the spread the file gives.</source>
        <translation>Aus %1: Mediane, Balken = die Streuung aus der Datei.</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Model…</source>
        <translation>Modell…</translation>
    </message>
    <message>
        <source>Choose a digits model file (HDF5, family “digits”)</source>
        <translation>Ziffernmodelldatei wählen (HDF5, Familie „digits“)</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>Brush:</source>
        <translation>Pinsel:</translation>
    </message>
    <message>
        <source>Brush radius in image pixels (the image is 32 px high)</source>
        <translation>Pinselradius in Bildpixeln (das Bild ist 32 px hoch)</translation>
    </message>
    <message>
        <source>Width:</source>
        <translation>Breite:</translation>
    </message>
    <message>
        <source>Canvas width in image pixels; one encoder token per 8 px</source>
        <translation>Breite der Zeichenfläche in Bildpixeln; ein Encoder-Token je 8 px</translation>
    </message>
    <message>
        <source>Undo stroke</source>
        <translation>Strich zurück</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>Open PNG…</source>
        <translation>PNG öffnen…</translation>
    </message>
    <message>
        <source>A 32 px high image of a digit string (white or black ink)</source>
        <translation>Ein 32 px hohes Bild einer Ziffernfolge (weiße oder schwarze Tinte)</translation>
    </message>
    <message>
        <source>Random test string</source>
        <translation>Zufällige Testfolge</translation>
    </message>
    <message>
        <source>Compose a string from the MNIST test split (needs MNIST in ~/.cache/dotakv/mnist, installed by scripts/setup.sh)</source>
        <translation>Eine Folge aus dem MNIST-Testteil zusammensetzen (braucht MNIST in ~/.cache/dotakv/mnist, installiert von scripts/setup.sh)</translation>
    </message>
    <message>
        <source>Decoding</source>
        <translation>Decodierung</translation>
    </message>
    <message>
        <source>KV cache:</source>
        <translation>KV-Cache:</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <source>Self</source>
        <translation>Self</translation>
    </message>
    <message>
        <source>Full</source>
        <translation>Voll</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>Auto</translation>
    </message>
    <message>
        <source>Off: recompute every step. Self: cache the decoder&apos;s self-attention K/V. Full: also the cross-attention K/V, once per image. Auto: the calibrated policy chooses. The tokens are the same in every mode.</source>
        <translation>Aus: jeder Schritt rechnet alles neu. Self: K/V der Self-Attention des Decoders cachen. Voll: zusätzlich die K/V der Cross-Attention, einmal pro Bild. Auto: die kalibrierte Strategie wählt. Die Tokens sind in jedem Modus gleich.</translation>
    </message>
    <message>
        <source>Beam width:</source>
        <translation>Strahlbreite:</translation>
    </message>
    <message>
        <source>1: greedy; more: beam search keeping this many hypotheses</source>
        <translation>1: gierig; mehr: Strahlsuche mit so vielen Hypothesen</translation>
    </message>
    <message>
        <source>KV storage:</source>
        <translation>KV-Speicher:</translation>
    </message>
    <message>
        <source>Storage precision of the K/V cache</source>
        <translation>Speichergenauigkeit des K/V-Caches</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Lesen</translation>
    </message>
    <message>
        <source>Read the canvas (Ctrl+Return)</source>
        <translation>Zeichenfläche lesen (Strg+Eingabe)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>The tokens appear here one by one, with each one&apos;s latency.</source>
        <translation>Die Tokens erscheinen hier nacheinander, jedes mit seiner Latenz.</translation>
    </message>
    <message>
        <source>Latency under each token: the first includes the encoder; hover a token to see its cross-attention over the image</source>
        <translation>Latenz unter jedem Token: das erste enthält den Encoder; Maus über ein Token zeigt seine Cross-Attention über dem Bild</translation>
    </message>
    <message>
        <source>Beam hypotheses</source>
        <translation>Strahlhypothesen</translation>
    </message>
    <message>
        <source>log-probability</source>
        <translation>Log-Wahrscheinlichkeit</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Beendet</translation>
    </message>
    <message>
        <source>Latency vs length</source>
        <translation>Latenz über Länge</translation>
    </message>
    <message>
        <source>Load benchmark…</source>
        <translation>Benchmark laden…</translation>
    </message>
    <message>
        <source>A JSON file written by dotakv bench --family digits --json</source>
        <translation>Eine JSON-Datei von dotakv bench --family digits --json</translation>
    </message>
    <message>
        <source>Measure</source>
        <translation>Messen</translation>
    </message>
    <message>
        <source>Time reads of 5, 10, 20 and 30 digits in modes off, self and full, here (a few seconds)</source>
        <translation>Lesungen von 5, 10, 20 und 30 Ziffern in den Modi off, self und full hier messen (einige Sekunden)</translation>
    </message>
    <message>
        <source>Reading</source>
        <translation>Lesung</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::EditPanel</name>
    <message>
        <source>Insert %1 at %2 mm</source>
        <translation>%1 bei %2 mm einfügen</translation>
    </message>
    <message>
        <source>Move shape to %1 mm</source>
        <translation>Form nach %1 mm verschieben</translation>
    </message>
    <message>
        <source>Paint %1 HU in slice %2</source>
        <translation>%1 HU in Schicht %2 malen</translation>
    </message>
    <message>
        <source>Block</source>
        <translation>Quader</translation>
    </message>
    <message>
        <source>Sphere</source>
        <translation>Kugel</translation>
    </message>
    <message>
        <source>Bone (1200 HU)</source>
        <translation>Knochen (1200 HU)</translation>
    </message>
    <message>
        <source>Lung (-750 HU)</source>
        <translation>Lunge (-750 HU)</translation>
    </message>
    <message>
        <source>Air (-1000 HU)</source>
        <translation>Luft (-1000 HU)</translation>
    </message>
    <message>
        <source>Soft tissue (40 HU)</source>
        <translation>Weichgewebe (40 HU)</translation>
    </message>
    <message>
        <source>Custom HU</source>
        <translation>Eigene HU</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>Form</translation>
    </message>
    <message>
        <source>Material</source>
        <translation>Material</translation>
    </message>
    <message>
        <source>HU</source>
        <translation>HU</translation>
    </message>
    <message>
        <source>Centre depth</source>
        <translation>Tiefe der Mitte</translation>
    </message>
    <message>
        <source>Thickness / diameter</source>
        <translation>Dicke / Durchmesser</translation>
    </message>
    <message>
        <source>Lateral width</source>
        <translation>Seitliche Breite</translation>
    </message>
    <message>
        <source>Offset x</source>
        <translation>Versatz x</translation>
    </message>
    <message>
        <source>Offset y</source>
        <translation>Versatz y</translation>
    </message>
    <message>
        <source>Insert</source>
        <translation>Einfügen</translation>
    </message>
    <message>
        <source>Move last to depth</source>
        <translation>Letzte in Tiefe verschieben</translation>
    </message>
    <message>
        <source>Paint HU at crosshair</source>
        <translation>HU am Fadenkreuz malen</translation>
    </message>
    <message>
        <source>Paint radius</source>
        <translation>Malradius</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <source>The dose is recomputed after each edit, reusing the cached tokens of the slices upstream of the change (KV cache On or Auto).</source>
        <translation>Die Dosis wird nach jeder Änderung neu berechnet; die zwischengespeicherten Tokens der Schichten vor der Änderung werden wiederverwendet (KV-Cache An oder Auto).</translation>
    </message>
    <message>
        <source>Paint %1 HU</source>
        <translation>%1 HU malen</translation>
    </message>
    <message>
        <source>Paint with the mouse (drag in the slices)</source>
        <translation>Mit der Maus malen (in den Schichten ziehen)</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::InferenceController</name>
    <message>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <source>On</source>
        <translation>An</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>Auto</translation>
    </message>
    <message>
        <source>random weights (no trained model found)</source>
        <translation>Zufallsgewichte (kein trainiertes Modell gefunden)</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>Kein Modell geladen</translation>
    </message>
    <message>
        <source>The case grid %1×%2×%3 does not match the model grid %4×%5×%6</source>
        <translation>Das Fallgitter %1×%2×%3 passt nicht zum Modellgitter %4×%5×%6</translation>
    </message>
    <message>
        <source>no calibration profile (%1); run `dotakv calibrate` — using the cache</source>
        <translation>kein Kalibrierprofil (%1); `dotakv calibrate` ausführen — Cache wird benutzt</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>full recompute</source>
        <translation>volle Neuberechnung</translation>
    </message>
    <message>
        <source>cache on</source>
        <translation>Cache an</translation>
    </message>
    <message>
        <source>cache off</source>
        <translation>Cache aus</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::MainWindow</name>
    <message>
        <source>Reference dose failed</source>
        <translation>Referenzdosis fehlgeschlagen</translation>
    </message>
    <message>
        <source>Reference dose “%1” added</source>
        <translation>Referenzdosis „%1“ hinzugefügt</translation>
    </message>
    <message>
        <source>Computing the model dose…</source>
        <translation>Modelldosis wird berechnet…</translation>
    </message>
    <message>
        <source>Dose computation failed</source>
        <translation>Dosisberechnung fehlgeschlagen</translation>
    </message>
    <message>
        <source>z %1, y %2, x %3 — HU %4, RSP %5</source>
        <translation>z %1, y %2, x %3 — HU %4, RSP %5</translation>
    </message>
    <message>
        <source>Open case</source>
        <translation>Fall öffnen</translation>
    </message>
    <message>
        <source>HDF5 case or DoTA file (*.h5 *.hdf5);;All files (*)</source>
        <translation>HDF5-Fall oder DoTA-Datei (*.h5 *.hdf5);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Save case as</source>
        <translation>Fall speichern unter</translation>
    </message>
    <message>
        <source>HDF5 case (*.h5)</source>
        <translation>HDF5-Fall (*.h5)</translation>
    </message>
    <message>
        <source>Save screenshot</source>
        <translation>Bildschirmfoto speichern</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG-Bild (*.png)</translation>
    </message>
    <message>
        <source>Screenshot</source>
        <translation>Bildschirmfoto</translation>
    </message>
    <message>
        <source>Could not write %1</source>
        <translation>%1 konnte nicht geschrieben werden</translation>
    </message>
    <message>
        <source>About dotakv studio</source>
        <translation>Über dotakv studio</translation>
    </message>
    <message>
        <source>&lt;b&gt;dotakv studio&lt;/b&gt;&lt;br&gt;Proton pencil-beam dose with DoTA (Pastor-Serrano &amp;amp; Perkó 2022) and KV caching.&lt;br&gt;Model: %1</source>
        <translation>&lt;b&gt;dotakv studio&lt;/b&gt;&lt;br&gt;Protonen-Pencil-Beam-Dosis mit DoTA (Pastor-Serrano &amp;amp; Perkó 2022) und KV-Caching.&lt;br&gt;Modell: %1</translation>
    </message>
    <message>
        <source>Slices</source>
        <translation>Schichten</translation>
    </message>
    <message>
        <source>Projections</source>
        <translation>Projektionen</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Vergleich</translation>
    </message>
    <message>
        <source>3D</source>
        <translation>3D</translation>
    </message>
    <message>
        <source>Benchmark</source>
        <translation>Benchmark</translation>
    </message>
    <message>
        <source>CT edit</source>
        <translation>CT bearbeiten</translation>
    </message>
    <message>
        <source>Reference dose</source>
        <translation>Referenzdosis</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>Open &amp;demo case</source>
        <translation>&amp;Demofall öffnen</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>Ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open a case file or a DoTA data file (Ctrl+O)</source>
        <translation>Falldatei oder DoTA-Datendatei öffnen (Strg+O)</translation>
    </message>
    <message>
        <source>Bundled demo case</source>
        <translation>Mitgelieferter Demofall</translation>
    </message>
    <message>
        <source>Save case &amp;as…</source>
        <translation>Fall speichern &amp;unter…</translation>
    </message>
    <message>
        <source>Save &amp;screenshot…</source>
        <translation>&amp;Bildschirmfoto speichern…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Undo edit</source>
        <translation>Bearbeitung &amp;rückgängig</translation>
    </message>
    <message>
        <source>&amp;Redo edit</source>
        <translation>Bearbeitung &amp;wiederholen</translation>
    </message>
    <message>
        <source>&amp;Dark palette</source>
        <translation>&amp;Dunkle Farbpalette</translation>
    </message>
    <message>
        <source>Recompute</source>
        <translation>Neu berechnen</translation>
    </message>
    <message>
        <source>Recompute the model dose with the current cache settings (F5)</source>
        <translation>Modelldosis mit den aktuellen Cache-Einstellungen neu berechnen (F5)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Streaming</source>
        <translation>Streaming</translation>
    </message>
    <message>
        <source>Stream the dose slice by slice as tokens are processed</source>
        <translation>Dosis Schicht für Schicht streamen, während die Tokens verarbeitet werden</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>Ü&amp;ber</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <source>On</source>
        <translation>An</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>Auto</translation>
    </message>
    <message>
        <source>KV cache off</source>
        <translation>KV-Cache aus</translation>
    </message>
    <message>
        <source>KV cache on</source>
        <translation>KV-Cache an</translation>
    </message>
    <message>
        <source>Let the calibrated policy decide</source>
        <translation>Die kalibrierte Strategie entscheiden lassen</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>Fall</translation>
    </message>
    <message>
        <source>Dose engine</source>
        <translation>Dosisberechnung</translation>
    </message>
    <message>
        <source> KV cache: </source>
        <translation> KV-Cache: </translation>
    </message>
    <message>
        <source> Reference: </source>
        <translation> Referenz: </translation>
    </message>
    <message>
        <source> Evaluated: </source>
        <translation> Bewertet: </translation>
    </message>
    <message>
        <source>no case</source>
        <translation>kein Fall</translation>
    </message>
    <message>
        <source>dotakv studio — %1</source>
        <translation>dotakv studio — %1</translation>
    </message>
    <message>
        <source>DoTA file</source>
        <translation>DoTA-Datei</translation>
    </message>
    <message>
        <source>Sample (0–%1):</source>
        <translation>Probe (0–%1):</translation>
    </message>
    <message>
        <source>%1, sample %2</source>
        <translation>%1, Probe %2</translation>
    </message>
    <message>
        <source>Could not open %1</source>
        <translation>%1 konnte nicht geöffnet werden</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>%1 geöffnet</translation>
    </message>
    <message>
        <source>generated demo phantom</source>
        <translation>erzeugtes Demo-Phantom</translation>
    </message>
    <message>
        <source>Could not save %1</source>
        <translation>%1 konnte nicht gespeichert werden</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <source>Model dose computed in %1</source>
        <translation>Modelldosis berechnet in %1</translation>
    </message>
    <message>
        <source>model: %1</source>
        <translation>Modell: %1</translation>
    </message>
    <message>
        <source>→on</source>
        <translation>→an</translation>
    </message>
    <message>
        <source>→off</source>
        <translation>→aus</translation>
    </message>
    <message>
        <source>cache %1</source>
        <translation>Cache %1</translation>
    </message>
    <message>
        <source>%1 tokens reused, %2 computed</source>
        <translation>%1 Tokens wiederverwendet, %2 berechnet</translation>
    </message>
    <message>
        <source>full recompute …</source>
        <translation>volle Neuberechnung …</translation>
    </message>
    <message>
        <source>KV %1</source>
        <translation>KV %1</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>Modell: %1</translation>
    </message>
    <message>
        <source>Auto: %1</source>
        <translation>Auto: %1</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <source>Export case report</source>
        <translation>Fallbericht exportieren</translation>
    </message>
    <message>
        <source>PDF document (*.pdf);;HTML page (*.html)</source>
        <translation>PDF-Dokument (*.pdf);;HTML-Seite (*.html)</translation>
    </message>
    <message>
        <source>&amp;Export case report…</source>
        <translation>Fallbericht &amp;exportieren…</translation>
    </message>
    <message>
        <source>Could not create the demo case</source>
        <translation>Der Demo-Fall konnte nicht erstellt werden</translation>
    </message>
    <message>
        <source>dotakv case report</source>
        <translation>dotakv-Fallbericht</translation>
    </message>
    <message>
        <source>Could not export %1</source>
        <translation>%1 konnte nicht exportiert werden</translation>
    </message>
    <message>
        <source>Report written to %1</source>
        <translation>Bericht nach %1 geschrieben</translation>
    </message>
    <message>
        <source>&amp;Undo edit: %1</source>
        <translation>Bearbeitung &amp;rückgängig: %1</translation>
    </message>
    <message>
        <source>&amp;Redo edit: %1</source>
        <translation>Bearbeitung &amp;wiederholen: %1</translation>
    </message>
    <message>
        <source> KV-cache storage: </source>
        <translation> KV-Cache-Speicher: </translation>
    </message>
    <message>
        <source> compute: </source>
        <translation> Rechnen: </translation>
    </message>
    <message>
        <source>Storage precision of the K/V cache (fp32, fp16, int8); the arithmetic precision is set under “compute”</source>
        <translation>Speichergenauigkeit des K/V-Caches (fp32, fp16, int8); die Rechengenauigkeit steht unter „Rechnen“</translation>
    </message>
    <message>
        <source>Arithmetic precision of the convolutions and matrix products (bf16 falls back to fp32 where the CPU lacks it)</source>
        <translation>Rechengenauigkeit der Faltungen und Matrixprodukte (bf16 fällt ohne CPU-Unterstützung auf fp32 zurück)</translation>
    </message>
    <message>
        <source>This case&apos;s grid %1×%2×%3 differs from the model&apos;s %4×%5×%6: the model dose cannot be computed. Viewing, CT edits, Monte Carlo, pencil beam and comparisons work.</source>
        <translation>Das Gitter dieses Falls (%1×%2×%3) weicht vom Modellgitter %4×%5×%6 ab: die Modelldosis kann nicht berechnet werden. Ansicht, CT-Änderungen, Monte Carlo, Pencil Beam und Vergleiche funktionieren.</translation>
    </message>
    <message>
        <source>model: needs a %1×%2×%3 grid, this case is %4×%5×%6 — MC, PBA, viewing and comparison work</source>
        <translation>Modell: braucht ein %1×%2×%3-Gitter, dieser Fall hat %4×%5×%6 — MC, PBA, Ansicht und Vergleich gehen</translation>
    </message>
    <message>
        <source>compute %1</source>
        <translation>Rechnen %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;median %1&lt;/b&gt; (IQR %2, n = %3)</source>
        <translation>&lt;b&gt;Median %1&lt;/b&gt; (IQR %2, n = %3)</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; (one run)</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; (ein Lauf)</translation>
    </message>
    <message>
        <source>cache off: nothing reused</source>
        <translation>Cache aus: nichts wiederverwendet</translation>
    </message>
    <message>
        <source>%1 vs full %2</source>
        <translation>%1 ggü. voll %2</translation>
    </message>
    <message>
        <source>%1 vs %2</source>
        <translation>%1 ggü. %2</translation>
    </message>
    <message>
        <source>Δ vs full %1 (%2 %)</source>
        <translation>Δ ggü. voll %1 (%2 %)</translation>
    </message>
    <message>
        <source>Timing on a second session, %1 warm-up and %2 interleaved runs per setting: this setting median %3 (min %4, max %5), %6 median %7 (min %8, max %9). Speed-up = ratio of medians with its %10 % bootstrap interval. The first figure before the timing finishes is one run.</source>
        <translation>Zeitmessung auf einer zweiten Sitzung, %1 Aufwärmlauf und %2 verschränkte Läufe je Einstellung: diese Einstellung Median %3 (min %4, max %5), %6 Median %7 (min %8, max %9). Beschleunigung = Verhältnis der Mediane mit %10-%-Bootstrap-Intervall. Die erste Zahl vor Ende der Messung ist ein einzelner Lauf.</translation>
    </message>
    <message>
        <source>Digits</source>
        <translation>Ziffern</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::ProjectionsPanel</name>
    <message>
        <source>MIP along depth</source>
        <translation>MIP entlang der Tiefe</translation>
    </message>
    <message>
        <source>MIP along x</source>
        <translation>MIP entlang x</translation>
    </message>
    <message>
        <source>MIP along y</source>
        <translation>MIP entlang y</translation>
    </message>
    <message>
        <source>Integrated depth dose</source>
        <translation>Integrierte Tiefendosis</translation>
    </message>
    <message>
        <source>depth [mm]</source>
        <translation>Tiefe [mm]</translation>
    </message>
    <message>
        <source>% of reference peak</source>
        <translation>% des Referenz-Peaks</translation>
    </message>
    <message>
        <source>Gy cm² per primary</source>
        <translation>Gy cm² pro Primärteilchen</translation>
    </message>
    <message>
        <source>Depth dose through the crosshair</source>
        <translation>Tiefendosis durch das Fadenkreuz</translation>
    </message>
    <message>
        <source>Lateral profile (x) at depth %1 mm</source>
        <translation>Lateralprofil (x) in %1 mm Tiefe</translation>
    </message>
    <message>
        <source>x [mm]</source>
        <translation>x [mm]</translation>
    </message>
    <message>
        <source>Lateral profile (y) at depth %1 mm</source>
        <translation>Lateralprofil (y) in %1 mm Tiefe</translation>
    </message>
    <message>
        <source>y [mm]</source>
        <translation>y [mm]</translation>
    </message>
    <message>
        <source>Dose [%]</source>
        <translation>Dosis [%]</translation>
    </message>
    <message>
        <source>Dose [Gy]</source>
        <translation>Dosis [Gy]</translation>
    </message>
    <message>
        <source>Gy cm² for %1 protons</source>
        <translation>Gy cm² für %1 Protonen</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::ReadoutWidget</name>
    <message>
        <source>No case loaded</source>
        <translation>Kein Fall geladen</translation>
    </message>
    <message>
        <source>Voxel</source>
        <translation>Voxel</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>Position</translation>
    </message>
    <message>
        <source>depth %1 mm, y %2 mm, x %3 mm</source>
        <translation>Tiefe %1 mm, y %2 mm, x %3 mm</translation>
    </message>
    <message>
        <source>HU</source>
        <translation>HU</translation>
    </message>
    <message>
        <source>RSP</source>
        <translation>RSP</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>Differenz</translation>
    </message>
    <message>
        <source>γ</source>
        <translation>γ</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>k. A.</translation>
    </message>
    <message>
        <source> per primary</source>
        <translation> pro Primärteilchen</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::ReferencePanel</name>
    <message>
        <source>Added dose “%1”.</source>
        <translation>Dosis „%1“ hinzugefügt.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <source>Pencil beam running…</source>
        <translation>Pencil-Beam läuft…</translation>
    </message>
    <message>
        <source>Monte Carlo</source>
        <translation>Monte Carlo</translation>
    </message>
    <message>
        <source>Pencil beam (analytic)</source>
        <translation>Pencil-Beam (analytisch)</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>Verfahren</translation>
    </message>
    <message>
        <source>Primaries</source>
        <translation>Primärteilchen</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Startwert</translation>
    </message>
    <message>
        <source>Spot σ</source>
        <translation>Spot σ</translation>
    </message>
    <message>
        <source>Compute</source>
        <translation>Berechnen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>“%1” is not a number of primaries: enter e.g. 200000, 200k or 1.5M.</source>
        <translation>„%1“ ist keine Anzahl Primärteilchen: z. B. 200000, 200k oder 1.5M eingeben.</translation>
    </message>
    <message>
        <source>Primaries must be a whole number from 1 to 10^10, found “%1”.</source>
        <translation>Primärteilchen: ganze Zahl von 1 bis 10^10, gefunden „%1“.</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Added dose “%1” (%2).</source>
        <translation>Dosis „%1“ hinzugefügt (%2).</translation>
    </message>
    <message>
        <source>Monte Carlo running (%L1 primaries)…</source>
        <translation>Monte Carlo läuft (%L1 Primärteilchen)…</translation>
    </message>
    <message>
        <source>Recompute “%1” on the current CT</source>
        <translation>„%1“ auf dem aktuellen CT neu berechnen</translation>
    </message>
    <message>
        <source>Number of primary protons; k and M suffixes accepted (200k = 200000, 1.5M = 1500000)</source>
        <translation>Anzahl primärer Protonen; Suffixe k und M erlaubt (200k = 200000, 1.5M = 1500000)</translation>
    </message>
    <message>
        <source>e.g. 200k</source>
        <translation>z. B. 200k</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::SliceView</name>
    <message>
        <source>Beam&apos;s-eye view (lateral plane)</source>
        <translation>Strahlansicht (Lateralebene)</translation>
    </message>
    <message>
        <source>Depth plane (rows × depth)</source>
        <translation>Tiefenebene (Zeilen × Tiefe)</translation>
    </message>
    <message>
        <source>Depth plane (columns × depth)</source>
        <translation>Tiefenebene (Spalten × Tiefe)</translation>
    </message>
    <message>
        <source>No case loaded</source>
        <translation>Kein Fall geladen</translation>
    </message>
    <message>
        <source>x</source>
        <translation>x</translation>
    </message>
    <message>
        <source>y</source>
        <translation>y</translation>
    </message>
    <message>
        <source>z</source>
        <translation>z</translation>
    </message>
    <message>
        <source>depth %1 mm  (z %2 of 0–%3)</source>
        <translation>Tiefe %1 mm  (z %2 von 0–%3)</translation>
    </message>
    <message>
        <source>%1 = %2 mm  (%1 %3 of 0–%4)</source>
        <translation>%1 = %2 mm  (%1 %3 von 0–%4)</translation>
    </message>
    <message>
        <source>x →</source>
        <translation>x →</translation>
    </message>
    <message>
        <source>y ↓</source>
        <translation>y ↓</translation>
    </message>
    <message>
        <source>beam → depth</source>
        <translation>Strahl → Tiefe</translation>
    </message>
    <message>
        <source>x ↓</source>
        <translation>x ↓</translation>
    </message>
    <message>
        <source>beam into the screen</source>
        <translation>Strahl in den Bildschirm</translation>
    </message>
    <message>
        <source>%1 mm</source>
        <translation>%1 mm</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::SliceViewer</name>
    <message>
        <source>Slice (mouse wheel over the view also moves through slices)</source>
        <translation>Schicht (auch das Mausrad über der Ansicht blättert durch die Schichten)</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::SlicesPanel</name>
    <message>
        <source>Display</source>
        <translation>Darstellung</translation>
    </message>
    <message>
        <source>Read-out at the crosshair</source>
        <translation>Werte am Fadenkreuz</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Eigene</translation>
    </message>
    <message>
        <source>Soft tissue</source>
        <translation>Weichgewebe</translation>
    </message>
    <message>
        <source>Lung</source>
        <translation>Lunge</translation>
    </message>
    <message>
        <source>Bone</source>
        <translation>Knochen</translation>
    </message>
    <message>
        <source>Brain</source>
        <translation>Gehirn</translation>
    </message>
    <message>
        <source>Full range</source>
        <translation>Gesamter Bereich</translation>
    </message>
    <message>
        <source>% of reference max</source>
        <translation>% des Referenzmaximums</translation>
    </message>
    <message>
        <source>CT preset</source>
        <translation>CT-Voreinstellung</translation>
    </message>
    <message>
        <source>Window [HU]</source>
        <translation>Fenster [HU]</translation>
    </message>
    <message>
        <source>Level [HU]</source>
        <translation>Zentrum [HU]</translation>
    </message>
    <message>
        <source>Dose unit</source>
        <translation>Dosiseinheit</translation>
    </message>
    <message>
        <source>Wash from</source>
        <translation>Farbe ab</translation>
    </message>
    <message>
        <source>Wash to</source>
        <translation>Farbe bis</translation>
    </message>
    <message>
        <source>Low-dose cut</source>
        <translation>Niedrigdosis-Schnitt</translation>
    </message>
    <message>
        <source>Opacity</source>
        <translation>Deckkraft</translation>
    </message>
    <message>
        <source>Isodose levels [%]</source>
        <translation>Isodosen [%]</translation>
    </message>
    <message>
        <source>Dose colour wash</source>
        <translation>Dosis-Farbüberlagerung</translation>
    </message>
    <message>
        <source>Isodose lines (reference dashed)</source>
        <translation>Isodosenlinien (Referenz gestrichelt)</translation>
    </message>
    <message>
        <source>Crosshair</source>
        <translation>Fadenkreuz</translation>
    </message>
    <message>
        <source>Comma-separated levels in % of the reference maximum</source>
        <translation>Kommagetrennte Werte in % des Referenzmaximums</translation>
    </message>
    <message>
        <source>Isodose lines (%1 solid, %2 dashed):</source>
        <translation>Isodosen (%1 durchgezogen, %2 gestrichelt):</translation>
    </message>
    <message>
        <source>CT window width; right-drag in a slice view: left-right</source>
        <translation>CT-Fensterbreite; Rechtsziehen in einer Schichtansicht: links–rechts</translation>
    </message>
    <message>
        <source>CT window centre; right-drag in a slice view: up-down</source>
        <translation>CT-Fenstermitte; Rechtsziehen in einer Schichtansicht: auf–ab</translation>
    </message>
    <message>
        <source>“%1” is not a number of protons: enter e.g. 1e9, 2.5G or 500M</source>
        <translation>„%1“ ist keine Protonenzahl: z. B. 1e9, 2.5G oder 500M eingeben</translation>
    </message>
    <message>
        <source>Dose [% of reference max]</source>
        <translation>Dosis [% des Referenzmaximums]</translation>
    </message>
    <message>
        <source>Dose [%1]</source>
        <translation>Dosis [%1]</translation>
    </message>
    <message>
        <source>Gy per primary</source>
        <translation>Gy pro Primärteilchen</translation>
    </message>
    <message>
        <source>Gy for N protons</source>
        <translation>Gy für N Protonen</translation>
    </message>
    <message>
        <source>Protons (N)</source>
        <translation>Protonen (N)</translation>
    </message>
    <message>
        <source>Engines compute Gy per primary proton; “Gy for N protons” shows dose × N (e.g. N = protons per MU × MU)</source>
        <translation>Die Rechenkerne liefern Gy pro Primärproton; „Gy für N Protonen“ zeigt Dosis × N (z. B. N = Protonen pro MU × MU)</translation>
    </message>
    <message>
        <source>Number of protons N for the absolute dose (dose × N); k, M, G suffixes accepted</source>
        <translation>Protonenzahl N für die absolute Dosis (Dosis × N); Suffixe k, M, G erlaubt</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::View3DPanel</name>
    <message>
        <source>CT surfaces (body, bone)</source>
        <translation>CT-Oberflächen (Körper, Knochen)</translation>
    </message>
    <message>
        <source>CT volume rendering</source>
        <translation>CT-Volumendarstellung</translation>
    </message>
    <message>
        <source>Beam axis</source>
        <translation>Strahlachse</translation>
    </message>
    <message>
        <source>Isodose surface levels in % of the reference maximum</source>
        <translation>Isodosenflächen in % des Referenzmaximums</translation>
    </message>
    <message>
        <source>Reset view</source>
        <translation>Ansicht zurücksetzen</translation>
    </message>
    <message>
        <source>Isodose surfaces of %1:</source>
        <translation>Isodosenflächen von %1:</translation>
    </message>
    <message>
        <source>No evaluated dose</source>
        <translation>Keine bewertete Dosis</translation>
    </message>
    <message>
        <source>Isodose levels [%]</source>
        <translation>Isodosen [%]</translation>
    </message>
</context>
</TS>
