<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="nl_NL">
<context>
    <name>HistoryPlot</name>
    <message>
        <source>%1: empty file, expected a training history CSV</source>
        <translation>%1: leeg bestand, trainingsgeschiedenis-CSV verwacht</translation>
    </message>
    <message>
        <source>%1:%2: duplicate column &apos;%3&apos;</source>
        <translation>%1:%2: dubbele kolom &apos;%3&apos;</translation>
    </message>
    <message>
        <source>%1:%2: missing column &apos;%3&apos; (header: %4)</source>
        <translation>%1:%2: kolom &apos;%3&apos; ontbreekt (kopregel: %4)</translation>
    </message>
    <message>
        <source>%1:%2: expected %3 fields as in the header, found %4</source>
        <translation>%1:%2: %3 velden verwacht zoals in de kopregel, %4 gevonden</translation>
    </message>
    <message>
        <source>%1:%2: column &apos;%3&apos;: &apos;%4&apos; is not a number</source>
        <translation>%1:%2: kolom &apos;%3&apos;: &apos;%4&apos; is geen getal</translation>
    </message>
    <message>
        <source>%1: no epoch rows after the header</source>
        <translation>%1: geen epochregels na de kopregel</translation>
    </message>
    <message>
        <source>%1: cannot read: %2</source>
        <translation>%1: kan niet lezen: %2</translation>
    </message>
    <message>
        <source>Training history</source>
        <translation>Trainingsgeschiedenis</translation>
    </message>
    <message>
        <source>epoch %1</source>
        <translation>epoch %1</translation>
    </message>
    <message>
        <source>epochs %1–%2</source>
        <translation>epochs %1–%2</translation>
    </message>
    <message>
        <source>best validation loss (full) %1 at epoch %2</source>
        <translation>beste validatieverlies (full) %1 in epoch %2</translation>
    </message>
    <message>
        <source>max |full − stream| %1</source>
        <translation>max |full − stream| %1</translation>
    </message>
    <message>
        <source>%1 samples/s</source>
        <translation>%1 samples/s</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>epoch</translation>
    </message>
    <message>
        <source>loss (log scale)</source>
        <translation>verlies (log-schaal)</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>leersnelheid</translation>
    </message>
    <message>
        <source>train</source>
        <translation>training</translation>
    </message>
    <message>
        <source>validation, full</source>
        <translation>validatie, full</translation>
    </message>
    <message>
        <source>validation, stream (KV cache)</source>
        <translation>validatie, stream (KV-cache)</translation>
    </message>
    <message>
        <source>best epoch (full)</source>
        <translation>beste epoch (full)</translation>
    </message>
    <message>
        <source>%1: cannot write PNG</source>
        <translation>%1: kan PNG niet schrijven</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>crosshair</source>
        <translation>dradenkruis</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::BenchPanel</name>
    <message>
        <source>model&apos;s (e.g. 20,50,150)</source>
        <translation>van het model (bijv. 20,50,150)</translation>
    </message>
    <message>
        <source>slices/2</source>
        <translation>sneden/2</translation>
    </message>
    <message>
        <source>Workload</source>
        <translation>Werklast</translation>
    </message>
    <message>
        <source>Config (no model file)</source>
        <translation>Configuratie (geen modelbestand)</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Batch</translation>
    </message>
    <message>
        <source>Slices</source>
        <translation>Sneden</translation>
    </message>
    <message>
        <source>Chunk (stream)</source>
        <translation>Blok (stream)</translation>
    </message>
    <message>
        <source>Edit depth (prefix)</source>
        <translation>Bewerkingsdiepte (prefix)</translation>
    </message>
    <message>
        <source>Cache</source>
        <translation>Cache</translation>
    </message>
    <message>
        <source>KV precision</source>
        <translation>KV-precisie</translation>
    </message>
    <message>
        <source>Compute precision</source>
        <translation>Rekenprecisie</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>Threads</translation>
    </message>
    <message>
        <source>Repetitions</source>
        <translation>Herhalingen</translation>
    </message>
    <message>
        <source>Warm-up runs</source>
        <translation>Opwarmruns</translation>
    </message>
    <message>
        <source>Run sweep</source>
        <translation>Sweep starten</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
    <message>
        <source>No results loaded.</source>
        <translation>Geen resultaten geladen.</translation>
    </message>
    <message>
        <source>Load JSON…</source>
        <translation>JSON laden…</translation>
    </message>
    <message>
        <source>Save JSON…</source>
        <translation>JSON opslaan…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV exporteren…</translation>
    </message>
    <message>
        <source>Export chart…</source>
        <translation>Grafiek exporteren…</translation>
    </message>
    <message>
        <source>Export report…</source>
        <translation>Rapport exporteren…</translation>
    </message>
    <message>
        <source>%1 results%2</source>
        <translation>%1 resultaten%2</translation>
    </message>
    <message>
        <source> (cancelled sweep: finished runs only)</source>
        <translation> (sweep geannuleerd: alleen voltooide runs)</translation>
    </message>
    <message>
        <source>no chart to export</source>
        <translation>geen grafiek om te exporteren</translation>
    </message>
    <message>
        <source>Sweep failed: %1</source>
        <translation>Sweep mislukt: %1</translation>
    </message>
    <message>
        <source>Load results</source>
        <translation>Resultaten laden</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Save results</source>
        <translation>Resultaten opslaan</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>CSV exporteren</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export chart</source>
        <translation>Grafiek exporteren</translation>
    </message>
    <message>
        <source>PNG (*.png);;SVG (*.svg)</source>
        <translation>PNG (*.png);;SVG (*.svg)</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>Rapport exporteren</translation>
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
        <translation>referentie</translation>
    </message>
    <message>
        <source>group</source>
        <translation>groep</translation>
    </message>
    <message>
        <source>point</source>
        <translation>punt</translation>
    </message>
    <message>
        <source>setting</source>
        <translation>instelling</translation>
    </message>
    <message>
        <source>cold</source>
        <translation>koud</translation>
    </message>
    <message>
        <source>median</source>
        <translation>mediaan</translation>
    </message>
    <message>
        <source>IQR</source>
        <translation>IQR</translation>
    </message>
    <message>
        <source>speedup</source>
        <translation>versnelling</translation>
    </message>
    <message>
        <source>CI95 low</source>
        <translation>BI95 laag</translation>
    </message>
    <message>
        <source>CI95 high</source>
        <translation>BI95 hoog</translation>
    </message>
    <message>
        <source>max |diff|</source>
        <translation>max |verschil|</translation>
    </message>
    <message>
        <source>cache MB</source>
        <translation>cache MB</translation>
    </message>
    <message>
        <source>model speedup</source>
        <translation>modelversnelling</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::CaseModel</name>
    <message>
        <source>% of reference max</source>
        <translation>% van referentiemaximum</translation>
    </message>
    <message>
        <source>Gy per primary</source>
        <translation>Gy per primair deeltje</translation>
    </message>
    <message>
        <source>Gy for %1 protons</source>
        <translation>Gy voor %1 protonen</translation>
    </message>
    <message>
        <source>stale: computed on a different CT</source>
        <translation>verouderd: berekend op een andere CT</translation>
    </message>
    <message>
        <source>stale: computed on the CT before edit %1</source>
        <translation>verouderd: berekend op de CT vóór bewerking %1</translation>
    </message>
    <message>
        <source>%1 (stale)</source>
        <translation>%1 (verouderd)</translation>
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
        <translation>γ mislukt: %1</translation>
    </message>
    <message>
        <source>max |Δ| %1 % of ref. max
mean |Δ| %2 %
high-dose mean rel. %3 %</source>
        <translation>max. |Δ| %1 % van ref.-max.
gem. |Δ| %2 %
hoge dosis gem. rel. %3 %</translation>
    </message>
    <message>
        <source>Select two doses to compare.</source>
        <translation>Kies twee doses om te vergelijken.</translation>
    </message>
    <message>
        <source>γ not computed</source>
        <translation>γ niet berekend</translation>
    </message>
    <message>
        <source>Δ [% of max]</source>
        <translation>Δ [% van max.]</translation>
    </message>
    <message>
        <source>Δ/D [%]</source>
        <translation>Δ/D [%]</translation>
    </message>
    <message>
        <source>computing γ…</source>
        <translation>γ berekenen…</translation>
    </message>
    <message>
        <source>γ histogram</source>
        <translation>γ-histogram</translation>
    </message>
    <message>
        <source>γ (bin centre)</source>
        <translation>γ (klassemidden)</translation>
    </message>
    <message>
        <source>voxels</source>
        <translation>voxels</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Referentie</translation>
    </message>
    <message>
        <source>Evaluated</source>
        <translation>Geëvalueerd</translation>
    </message>
    <message>
        <source>Map</source>
        <translation>Kaart</translation>
    </message>
    <message>
        <source>Range ±</source>
        <translation>Bereik ±</translation>
    </message>
    <message>
        <source>γ dose</source>
        <translation>γ dosis</translation>
    </message>
    <message>
        <source>γ distance</source>
        <translation>γ afstand</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>Drempel</translation>
    </message>
    <message>
        <source>Local γ</source>
        <translation>Lokale γ</translation>
    </message>
    <message>
        <source>Compute γ</source>
        <translation>γ berekenen</translation>
    </message>
    <message>
        <source>Difference (% of reference max)</source>
        <translation>Verschil (% van referentiemaximum)</translation>
    </message>
    <message>
        <source>Relative difference (% of local dose)</source>
        <translation>Relatief verschil (% van lokale dosis)</translation>
    </message>
    <message>
        <source>γ index</source>
        <translation>γ-index</translation>
    </message>
    <message>
        <source>γ cancelled</source>
        <translation>γ geannuleerd</translation>
    </message>
    <message>
        <source>“%1” is %2</source>
        <translation>“%1” is %2</translation>
    </message>
    <message>
        <source>%1 %/%2 mm local, threshold %3 % of reference max</source>
        <translation>%1 %/%2 mm lokaal, drempel %3 % van referentiemaximum</translation>
    </message>
    <message>
        <source>%1 % of reference max/%2 mm, threshold %3 % of reference max</source>
        <translation>%1 % van referentiemaximum/%2 mm, drempel %3 % van referentiemaximum</translation>
    </message>
    <message>
        <source>γ capped at %1</source>
        <translation>γ begrensd op %1</translation>
    </message>
    <message>
        <source>max γ %1</source>
        <translation>max. γ %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;γ pass rate %1 %&lt;/b&gt;&lt;br&gt;(%2 of %3 voxels; DoTA definition %4 %)&lt;br&gt;mean γ %5, %6&lt;br&gt;&lt;small&gt;%7&lt;/small&gt;</source>
        <translation>&lt;b&gt;γ-slagingspercentage %1 %&lt;/b&gt;&lt;br&gt;(%2 van %3 voxels; DoTA-definitie %4 %)&lt;br&gt;gemiddelde γ %5, %6&lt;br&gt;&lt;small&gt;%7&lt;/small&gt;</translation>
    </message>
    <message>
        <source>Dose-difference criterion: % of the reference maximum (global) or of the local reference dose (local γ)</source>
        <translation>Dosisverschilcriterium: % van het referentiemaximum (globaal) of van de lokale referentiedosis (lokale γ)</translation>
    </message>
    <message>
        <source>Distance-to-agreement criterion in mm</source>
        <translation>Afstandscriterium (DTA) in mm</translation>
    </message>
    <message>
        <source>Low-dose threshold: voxels below this % of the reference maximum are not evaluated (same default as dotakv compare and dotakv report)</source>
        <translation>Lagedosisdrempel: voxels onder dit % van het referentiemaximum worden niet beoordeeld (zelfde standaard als dotakv compare en dotakv report)</translation>
    </message>
    <message>
        <source>Local γ: the dose criterion is relative to the local reference dose</source>
        <translation>Lokale γ: het dosiscriterium is relatief t.o.v. de lokale referentiedosis</translation>
    </message>
    <message>
        <source>γ is searched up to %1 × the distance criterion and capped at %1</source>
        <translation>γ wordt gezocht tot %1 × het afstandscriterium en begrensd op %1</translation>
    </message>
    <message>
        <source> % of max</source>
        <translation> % van max.</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::DigitsController</name>
    <message>
        <source>No digits model loaded: choose a model file (Model…)</source>
        <translation>Geen cijfermodel geladen: kies een modelbestand (Model…)</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::DigitsPanel</name>
    <message>
        <source>Latency sweep finished</source>
        <translation>Latentiemeting voltooid</translation>
    </message>
    <message>
        <source>No digits model: %1 not found. Choose a model file with “Model…” (one written by `dotakv digits train`).</source>
        <translation>Geen cijfermodel: %1 niet gevonden. Kies een modelbestand met “Model…” (geschreven door `dotakv digits train`).</translation>
    </message>
    <message>
        <source>No digits model: %1</source>
        <translation>Geen cijfermodel: %1</translation>
    </message>
    <message>
        <source>Could not load the digits model %1</source>
        <translation>Cijfermodel %1 kon niet worden geladen</translation>
    </message>
    <message>
        <source>Digits model %1 loaded</source>
        <translation>Cijfermodel %1 geladen</translation>
    </message>
    <message>
        <source>Could not open %1</source>
        <translation>Kon %1 niet openen</translation>
    </message>
    <message>
        <source>Opened %1 (%2×%3 px)</source>
        <translation>%1 geopend (%2×%3 px)</translation>
    </message>
    <message>
        <source>No digits model</source>
        <translation>Geen cijfermodel</translation>
    </message>
    <message>
        <source>Choose a model file with “Model…”.</source>
        <translation>Kies een modelbestand met “Model…”.</translation>
    </message>
    <message>
        <source>Could not load the benchmark %1</source>
        <translation>Benchmark %1 kon niet worden geladen</translation>
    </message>
    <message>
        <source>Open a digit-string image</source>
        <translation>Afbeelding van een cijferreeks openen</translation>
    </message>
    <message>
        <source>PNG images (*.png);;All files (*)</source>
        <translation>PNG-afbeeldingen (*.png);;Alle bestanden (*)</translation>
    </message>
    <message>
        <source>Choose a digits model</source>
        <translation>Cijfermodel kiezen</translation>
    </message>
    <message>
        <source>Digits models (*.h5);;All files (*)</source>
        <translation>Cijfermodellen (*.h5);;Alle bestanden (*)</translation>
    </message>
    <message>
        <source>Load a digits benchmark</source>
        <translation>Cijferbenchmark laden</translation>
    </message>
    <message>
        <source>Benchmark JSON (*.json);;All files (*)</source>
        <translation>Benchmark-JSON (*.json);;Alle bestanden (*)</translation>
    </message>
    <message>
        <source>Latency sweep failed</source>
        <translation>Latentiemeting mislukt</translation>
    </message>
    <message>
        <source>No test string</source>
        <translation>Geen testreeks</translation>
    </message>
    <message>
        <source>Reading the digits failed</source>
        <translation>Lezen van de cijfers mislukt</translation>
    </message>
    <message>
        <source>(no digits)</source>
        <translation>(geen cijfers)</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no: length limit</source>
        <translation>nee: lengtegrens</translation>
    </message>
    <message>
        <source>Draw digits on the canvas (or open a PNG, or pick a random test string), then Read.</source>
        <translation>Teken cijfers op het canvas (of open een PNG, of kies een willekeurige testreeks) en klik op Lezen.</translation>
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
        <translation>&lt;b&gt;%1&lt;/b&gt; · encoder %2 · eerste token %3 · per token: mediaan %4 · KV-cache %5 (%6) · bundel %7 · totaal %8</translation>
    </message>
    <message>
        <source>Mode that ran (requested → resolved). First token: encoder and first decoding step. Per token: the later steps, one run each. KV cache: self + cross rows in use.</source>
        <translation>Uitgevoerde modus (gevraagd → gekozen). Eerste token: encoder en eerste decodeerstap. Per token: de latere stappen, elk één run. KV-cache: gebruikte self- en cross-rijen.</translation>
    </message>
    <message>
        <source>No calibration (dotakv calibrate --family digits): auto uses full.</source>
        <translation>Geen kalibratie (dotakv calibrate --family digits): auto gebruikt full.</translation>
    </message>
    <message>
        <source>Test string %1 — read correctly ✓</source>
        <translation>Testreeks %1 — correct gelezen ✓</translation>
    </message>
    <message>
        <source>Test string %1 — read differs ✗</source>
        <translation>Testreeks %1 — lezing wijkt af ✗</translation>
    </message>
    <message>
        <source>Test string %1</source>
        <translation>Testreeks %1</translation>
    </message>
    <message>
        <source>Hover a token to see where the model looked in the image.</source>
        <translation>Beweeg over een token om te zien waar het model in de afbeelding keek.</translation>
    </message>
    <message>
        <source>Token %1 “%2”: attention peaks on encoder columns %3–%4 (x %5–%6 px)</source>
        <translation>Token %1 “%2”: aandacht het grootst op encoderkolommen %3–%4 (x %5–%6 px)</translation>
    </message>
    <message>
        <source>%1: %2 k parameters, up to %3 digits</source>
        <translation>%1: %2 k parameters, tot %3 cijfers</translation>
    </message>
    <message>
        <source>(trained up to %1)</source>
        <translation>(getraind tot %1)</translation>
    </message>
    <message>
        <source>Read time vs string length</source>
        <translation>Leestijd tegen reekslengte</translation>
    </message>
    <message>
        <source>digits read</source>
        <translation>gelezen cijfers</translation>
    </message>
    <message>
        <source>read time [ms]</source>
        <translation>leestijd [ms]</translation>
    </message>
    <message>
        <source>No benchmark yet: load one (dotakv bench --family digits --json FILE) or measure here.</source>
        <translation>Nog geen benchmark: laad er een (dotakv bench --family digits --json BESTAND) of meet hier.</translation>
    </message>
    <message>
        <source>Measured here on synthetic strings (%1 px per digit), 5 reads per point after a warm-up: medians, bars = interquartile range.</source>
        <translation>Hier gemeten op synthetische reeksen (%1 px per cijfer), 5 lezingen per punt na een opwarmronde: medianen, balken = interkwartielafstand.</translation>
    </message>
    <message>
        <source>From %1: medians, bars = the spread the file gives.</source>
        <translation>Uit %1: medianen, balken = de spreiding uit het bestand.</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>Model…</source>
        <translation>Model…</translation>
    </message>
    <message>
        <source>Choose a digits model file (HDF5, family “digits”)</source>
        <translation>Kies een cijfermodelbestand (HDF5, familie “digits”)</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Invoer</translation>
    </message>
    <message>
        <source>Brush:</source>
        <translation>Penseel:</translation>
    </message>
    <message>
        <source>Brush radius in image pixels (the image is 32 px high)</source>
        <translation>Penseelstraal in beeldpixels (de afbeelding is 32 px hoog)</translation>
    </message>
    <message>
        <source>Width:</source>
        <translation>Breedte:</translation>
    </message>
    <message>
        <source>Canvas width in image pixels; one encoder token per 8 px</source>
        <translation>Canvasbreedte in beeldpixels; één encodertoken per 8 px</translation>
    </message>
    <message>
        <source>Undo stroke</source>
        <translation>Streek terug</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Wissen</translation>
    </message>
    <message>
        <source>Open PNG…</source>
        <translation>PNG openen…</translation>
    </message>
    <message>
        <source>A 32 px high image of a digit string (white or black ink)</source>
        <translation>Een 32 px hoge afbeelding van een cijferreeks (witte of zwarte inkt)</translation>
    </message>
    <message>
        <source>Random test string</source>
        <translation>Willekeurige testreeks</translation>
    </message>
    <message>
        <source>Compose a string from the MNIST test split (needs MNIST in ~/.cache/dotakv/mnist, installed by scripts/setup.sh)</source>
        <translation>Een reeks samenstellen uit het MNIST-testdeel (vereist MNIST in ~/.cache/dotakv/mnist, geïnstalleerd door scripts/setup.sh)</translation>
    </message>
    <message>
        <source>Decoding</source>
        <translation>Decodering</translation>
    </message>
    <message>
        <source>KV cache:</source>
        <translation>KV-cache:</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Uit</translation>
    </message>
    <message>
        <source>Self</source>
        <translation>Self</translation>
    </message>
    <message>
        <source>Full</source>
        <translation>Volledig</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>Auto</translation>
    </message>
    <message>
        <source>Off: recompute every step. Self: cache the decoder&apos;s self-attention K/V. Full: also the cross-attention K/V, once per image. Auto: the calibrated policy chooses. The tokens are the same in every mode.</source>
        <translation>Uit: elke stap rekent alles opnieuw. Self: K/V van de self-attention van de decoder cachen. Volledig: ook de K/V van de cross-attention, één keer per afbeelding. Auto: het gekalibreerde beleid kiest. De tokens zijn in elke modus gelijk.</translation>
    </message>
    <message>
        <source>Beam width:</source>
        <translation>Bundelbreedte:</translation>
    </message>
    <message>
        <source>1: greedy; more: beam search keeping this many hypotheses</source>
        <translation>1: gretig; meer: bundelzoeken met zoveel hypothesen</translation>
    </message>
    <message>
        <source>KV storage:</source>
        <translation>KV-opslag:</translation>
    </message>
    <message>
        <source>Storage precision of the K/V cache</source>
        <translation>Opslagprecisie van de K/V-cache</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Lezen</translation>
    </message>
    <message>
        <source>Read the canvas (Ctrl+Return)</source>
        <translation>Canvas lezen (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
    <message>
        <source>The tokens appear here one by one, with each one&apos;s latency.</source>
        <translation>De tokens verschijnen hier een voor een, elk met zijn latentie.</translation>
    </message>
    <message>
        <source>Latency under each token: the first includes the encoder; hover a token to see its cross-attention over the image</source>
        <translation>Latentie onder elk token: het eerste omvat de encoder; beweeg over een token om zijn cross-attention over de afbeelding te zien</translation>
    </message>
    <message>
        <source>Beam hypotheses</source>
        <translation>Bundelhypothesen</translation>
    </message>
    <message>
        <source>log-probability</source>
        <translation>log-kans</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Voltooid</translation>
    </message>
    <message>
        <source>Latency vs length</source>
        <translation>Latentie tegen lengte</translation>
    </message>
    <message>
        <source>Load benchmark…</source>
        <translation>Benchmark laden…</translation>
    </message>
    <message>
        <source>A JSON file written by dotakv bench --family digits --json</source>
        <translation>Een JSON-bestand geschreven door dotakv bench --family digits --json</translation>
    </message>
    <message>
        <source>Measure</source>
        <translation>Meten</translation>
    </message>
    <message>
        <source>Time reads of 5, 10, 20 and 30 digits in modes off, self and full, here (a few seconds)</source>
        <translation>Lezingen van 5, 10, 20 en 30 cijfers in de modi off, self en full hier timen (enkele seconden)</translation>
    </message>
    <message>
        <source>Reading</source>
        <translation>Lezing</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::EditPanel</name>
    <message>
        <source>Insert %1 at %2 mm</source>
        <translation>%1 invoegen op %2 mm</translation>
    </message>
    <message>
        <source>Move shape to %1 mm</source>
        <translation>Vorm verplaatsen naar %1 mm</translation>
    </message>
    <message>
        <source>Paint %1 HU in slice %2</source>
        <translation>%1 HU schilderen in snede %2</translation>
    </message>
    <message>
        <source>Block</source>
        <translation>Blok</translation>
    </message>
    <message>
        <source>Sphere</source>
        <translation>Bol</translation>
    </message>
    <message>
        <source>Bone (1200 HU)</source>
        <translation>Bot (1200 HU)</translation>
    </message>
    <message>
        <source>Lung (-750 HU)</source>
        <translation>Long (-750 HU)</translation>
    </message>
    <message>
        <source>Air (-1000 HU)</source>
        <translation>Lucht (-1000 HU)</translation>
    </message>
    <message>
        <source>Soft tissue (40 HU)</source>
        <translation>Weke delen (40 HU)</translation>
    </message>
    <message>
        <source>Custom HU</source>
        <translation>Eigen HU</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>Vorm</translation>
    </message>
    <message>
        <source>Material</source>
        <translation>Materiaal</translation>
    </message>
    <message>
        <source>HU</source>
        <translation>HU</translation>
    </message>
    <message>
        <source>Centre depth</source>
        <translation>Diepte van het midden</translation>
    </message>
    <message>
        <source>Thickness / diameter</source>
        <translation>Dikte / diameter</translation>
    </message>
    <message>
        <source>Lateral width</source>
        <translation>Laterale breedte</translation>
    </message>
    <message>
        <source>Offset x</source>
        <translation>Verschuiving x</translation>
    </message>
    <message>
        <source>Offset y</source>
        <translation>Verschuiving y</translation>
    </message>
    <message>
        <source>Insert</source>
        <translation>Invoegen</translation>
    </message>
    <message>
        <source>Move last to depth</source>
        <translation>Laatste verplaatsen</translation>
    </message>
    <message>
        <source>Paint HU at crosshair</source>
        <translation>HU schilderen bij dradenkruis</translation>
    </message>
    <message>
        <source>Paint radius</source>
        <translation>Penseelstraal</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Ongedaan maken</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Opnieuw</translation>
    </message>
    <message>
        <source>The dose is recomputed after each edit, reusing the cached tokens of the slices upstream of the change (KV cache On or Auto).</source>
        <translation>De dosis wordt na elke bewerking herberekend, met hergebruik van de gecachte tokens van de sneden vóór de wijziging (KV-cache Aan of Auto).</translation>
    </message>
    <message>
        <source>Paint %1 HU</source>
        <translation>%1 HU schilderen</translation>
    </message>
    <message>
        <source>Paint with the mouse (drag in the slices)</source>
        <translation>Schilderen met de muis (slepen in de sneden)</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::InferenceController</name>
    <message>
        <source>Off</source>
        <translation>Uit</translation>
    </message>
    <message>
        <source>On</source>
        <translation>Aan</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>Auto</translation>
    </message>
    <message>
        <source>random weights (no trained model found)</source>
        <translation>willekeurige gewichten (geen getraind model gevonden)</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>Geen model geladen</translation>
    </message>
    <message>
        <source>The case grid %1×%2×%3 does not match the model grid %4×%5×%6</source>
        <translation>Het rooster van de casus %1×%2×%3 past niet bij het modelrooster %4×%5×%6</translation>
    </message>
    <message>
        <source>no calibration profile (%1); run `dotakv calibrate` — using the cache</source>
        <translation>geen kalibratieprofiel (%1); voer `dotakv calibrate` uit — cache wordt gebruikt</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>geannuleerd</translation>
    </message>
    <message>
        <source>full recompute</source>
        <translation>volledige herberekening</translation>
    </message>
    <message>
        <source>cache on</source>
        <translation>cache aan</translation>
    </message>
    <message>
        <source>cache off</source>
        <translation>cache uit</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::MainWindow</name>
    <message>
        <source>Reference dose failed</source>
        <translation>Referentiedosis mislukt</translation>
    </message>
    <message>
        <source>Reference dose “%1” added</source>
        <translation>Referentiedosis ‘%1’ toegevoegd</translation>
    </message>
    <message>
        <source>Computing the model dose…</source>
        <translation>Modeldosis wordt berekend…</translation>
    </message>
    <message>
        <source>Dose computation failed</source>
        <translation>Dosisberekening mislukt</translation>
    </message>
    <message>
        <source>z %1, y %2, x %3 — HU %4, RSP %5</source>
        <translation>z %1, y %2, x %3 — HU %4, RSP %5</translation>
    </message>
    <message>
        <source>Open case</source>
        <translation>Casus openen</translation>
    </message>
    <message>
        <source>HDF5 case or DoTA file (*.h5 *.hdf5);;All files (*)</source>
        <translation>HDF5-casus of DoTA-bestand (*.h5 *.hdf5);;Alle bestanden (*)</translation>
    </message>
    <message>
        <source>Save case as</source>
        <translation>Casus opslaan als</translation>
    </message>
    <message>
        <source>HDF5 case (*.h5)</source>
        <translation>HDF5-casus (*.h5)</translation>
    </message>
    <message>
        <source>Save screenshot</source>
        <translation>Schermafbeelding opslaan</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG-afbeelding (*.png)</translation>
    </message>
    <message>
        <source>Screenshot</source>
        <translation>Schermafbeelding</translation>
    </message>
    <message>
        <source>Could not write %1</source>
        <translation>Kon %1 niet schrijven</translation>
    </message>
    <message>
        <source>About dotakv studio</source>
        <translation>Over dotakv studio</translation>
    </message>
    <message>
        <source>&lt;b&gt;dotakv studio&lt;/b&gt;&lt;br&gt;Proton pencil-beam dose with DoTA (Pastor-Serrano &amp;amp; Perkó 2022) and KV caching.&lt;br&gt;Model: %1</source>
        <translation>&lt;b&gt;dotakv studio&lt;/b&gt;&lt;br&gt;Protonen-pencil-beamdosis met DoTA (Pastor-Serrano &amp;amp; Perkó 2022) en KV-caching.&lt;br&gt;Model: %1</translation>
    </message>
    <message>
        <source>Slices</source>
        <translation>Sneden</translation>
    </message>
    <message>
        <source>Projections</source>
        <translation>Projecties</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Vergelijken</translation>
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
        <translation>CT bewerken</translation>
    </message>
    <message>
        <source>Reference dose</source>
        <translation>Referentiedosis</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Bestand</translation>
    </message>
    <message>
        <source>Open &amp;demo case</source>
        <translation>&amp;Democasus openen</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>&amp;Recent geopend</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>Be&amp;werken</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>Beel&amp;d</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Taal</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>&amp;Openen…</translation>
    </message>
    <message>
        <source>Open a case file or a DoTA data file (Ctrl+O)</source>
        <translation>Casusbestand of DoTA-gegevensbestand openen (Ctrl+O)</translation>
    </message>
    <message>
        <source>Bundled demo case</source>
        <translation>Meegeleverde democasus</translation>
    </message>
    <message>
        <source>Save case &amp;as…</source>
        <translation>Casus opslaan &amp;als…</translation>
    </message>
    <message>
        <source>Save &amp;screenshot…</source>
        <translation>&amp;Schermafbeelding opslaan…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Afsluiten</translation>
    </message>
    <message>
        <source>&amp;Undo edit</source>
        <translation>Bewerking &amp;ongedaan maken</translation>
    </message>
    <message>
        <source>&amp;Redo edit</source>
        <translation>Bewerking &amp;opnieuw</translation>
    </message>
    <message>
        <source>&amp;Dark palette</source>
        <translation>&amp;Donker palet</translation>
    </message>
    <message>
        <source>Recompute</source>
        <translation>Herberekenen</translation>
    </message>
    <message>
        <source>Recompute the model dose with the current cache settings (F5)</source>
        <translation>Modeldosis herberekenen met de huidige cache-instellingen (F5)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
    <message>
        <source>Streaming</source>
        <translation>Streaming</translation>
    </message>
    <message>
        <source>Stream the dose slice by slice as tokens are processed</source>
        <translation>Dosis snede per snede streamen terwijl tokens worden verwerkt</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>&amp;Over</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Uit</translation>
    </message>
    <message>
        <source>On</source>
        <translation>Aan</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>Auto</translation>
    </message>
    <message>
        <source>KV cache off</source>
        <translation>KV-cache uit</translation>
    </message>
    <message>
        <source>KV cache on</source>
        <translation>KV-cache aan</translation>
    </message>
    <message>
        <source>Let the calibrated policy decide</source>
        <translation>Het gekalibreerde beleid laten beslissen</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>Casus</translation>
    </message>
    <message>
        <source>Dose engine</source>
        <translation>Dosismotor</translation>
    </message>
    <message>
        <source> KV cache: </source>
        <translation> KV-cache: </translation>
    </message>
    <message>
        <source> Reference: </source>
        <translation> Referentie: </translation>
    </message>
    <message>
        <source> Evaluated: </source>
        <translation> Geëvalueerd: </translation>
    </message>
    <message>
        <source>no case</source>
        <translation>geen casus</translation>
    </message>
    <message>
        <source>dotakv studio — %1</source>
        <translation>dotakv studio — %1</translation>
    </message>
    <message>
        <source>DoTA file</source>
        <translation>DoTA-bestand</translation>
    </message>
    <message>
        <source>Sample (0–%1):</source>
        <translation>Monster (0–%1):</translation>
    </message>
    <message>
        <source>%1, sample %2</source>
        <translation>%1, monster %2</translation>
    </message>
    <message>
        <source>Could not open %1</source>
        <translation>Kon %1 niet openen</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>%1 geopend</translation>
    </message>
    <message>
        <source>generated demo phantom</source>
        <translation>gegenereerd demofantoom</translation>
    </message>
    <message>
        <source>Could not save %1</source>
        <translation>Kon %1 niet opslaan</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 opgeslagen</translation>
    </message>
    <message>
        <source>Model dose computed in %1</source>
        <translation>Modeldosis berekend in %1</translation>
    </message>
    <message>
        <source>model: %1</source>
        <translation>model: %1</translation>
    </message>
    <message>
        <source>→on</source>
        <translation>→aan</translation>
    </message>
    <message>
        <source>→off</source>
        <translation>→uit</translation>
    </message>
    <message>
        <source>cache %1</source>
        <translation>cache %1</translation>
    </message>
    <message>
        <source>%1 tokens reused, %2 computed</source>
        <translation>%1 tokens hergebruikt, %2 berekend</translation>
    </message>
    <message>
        <source>full recompute …</source>
        <translation>volledige herberekening …</translation>
    </message>
    <message>
        <source>KV %1</source>
        <translation>KV %1</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>Model: %1</translation>
    </message>
    <message>
        <source>Auto: %1</source>
        <translation>Auto: %1</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(geen)</translation>
    </message>
    <message>
        <source>Export case report</source>
        <translation>Casusrapport exporteren</translation>
    </message>
    <message>
        <source>PDF document (*.pdf);;HTML page (*.html)</source>
        <translation>PDF-document (*.pdf);;HTML-pagina (*.html)</translation>
    </message>
    <message>
        <source>&amp;Export case report…</source>
        <translation>Casusrapport &amp;exporteren…</translation>
    </message>
    <message>
        <source>Could not create the demo case</source>
        <translation>De democasus kon niet worden gemaakt</translation>
    </message>
    <message>
        <source>dotakv case report</source>
        <translation>dotakv-casusrapport</translation>
    </message>
    <message>
        <source>Could not export %1</source>
        <translation>%1 kon niet worden geëxporteerd</translation>
    </message>
    <message>
        <source>Report written to %1</source>
        <translation>Rapport geschreven naar %1</translation>
    </message>
    <message>
        <source>&amp;Undo edit: %1</source>
        <translation>Bewerking &amp;ongedaan maken: %1</translation>
    </message>
    <message>
        <source>&amp;Redo edit: %1</source>
        <translation>Bewerking o&amp;pnieuw: %1</translation>
    </message>
    <message>
        <source> KV-cache storage: </source>
        <translation> KV-cacheopslag: </translation>
    </message>
    <message>
        <source> compute: </source>
        <translation> Rekenen: </translation>
    </message>
    <message>
        <source>Storage precision of the K/V cache (fp32, fp16, int8); the arithmetic precision is set under “compute”</source>
        <translation>Opslagprecisie van de K/V-cache (fp32, fp16, int8); de rekenprecisie staat onder “Rekenen”</translation>
    </message>
    <message>
        <source>Arithmetic precision of the convolutions and matrix products (bf16 falls back to fp32 where the CPU lacks it)</source>
        <translation>Rekenprecisie van de convoluties en matrixproducten (bf16 valt terug op fp32 als de CPU het niet kan)</translation>
    </message>
    <message>
        <source>This case&apos;s grid %1×%2×%3 differs from the model&apos;s %4×%5×%6: the model dose cannot be computed. Viewing, CT edits, Monte Carlo, pencil beam and comparisons work.</source>
        <translation>Het rooster van deze casus (%1×%2×%3) wijkt af van dat van het model (%4×%5×%6): de modeldosis kan niet worden berekend. Bekijken, CT-bewerkingen, Monte Carlo, pencil beam en vergelijkingen werken.</translation>
    </message>
    <message>
        <source>model: needs a %1×%2×%3 grid, this case is %4×%5×%6 — MC, PBA, viewing and comparison work</source>
        <translation>model: vereist een %1×%2×%3-rooster, deze casus is %4×%5×%6 — MC, PBA, bekijken en vergelijken werken</translation>
    </message>
    <message>
        <source>compute %1</source>
        <translation>rekenen %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;median %1&lt;/b&gt; (IQR %2, n = %3)</source>
        <translation>&lt;b&gt;mediaan %1&lt;/b&gt; (IQR %2, n = %3)</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; (one run)</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; (één run)</translation>
    </message>
    <message>
        <source>cache off: nothing reused</source>
        <translation>cache uit: niets hergebruikt</translation>
    </message>
    <message>
        <source>%1 vs full %2</source>
        <translation>%1 t.o.v. volledig %2</translation>
    </message>
    <message>
        <source>%1 vs %2</source>
        <translation>%1 t.o.v. %2</translation>
    </message>
    <message>
        <source>Δ vs full %1 (%2 %)</source>
        <translation>Δ t.o.v. volledig %1 (%2 %)</translation>
    </message>
    <message>
        <source>Timing on a second session, %1 warm-up and %2 interleaved runs per setting: this setting median %3 (min %4, max %5), %6 median %7 (min %8, max %9). Speed-up = ratio of medians with its %10 % bootstrap interval. The first figure before the timing finishes is one run.</source>
        <translation>Timing op een tweede sessie, %1 opwarmrun en %2 afgewisselde runs per instelling: deze instelling mediaan %3 (min %4, max %5), %6 mediaan %7 (min %8, max %9). Versnelling = verhouding van de medianen met het %10-%-bootstrapinterval. Het eerste getal vóór het einde van de meting is één run.</translation>
    </message>
    <message>
        <source>Digits</source>
        <translation>Cijfers</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::ProjectionsPanel</name>
    <message>
        <source>MIP along depth</source>
        <translation>MIP langs de diepte</translation>
    </message>
    <message>
        <source>MIP along x</source>
        <translation>MIP langs x</translation>
    </message>
    <message>
        <source>MIP along y</source>
        <translation>MIP langs y</translation>
    </message>
    <message>
        <source>Integrated depth dose</source>
        <translation>Geïntegreerde diepte-dosis</translation>
    </message>
    <message>
        <source>depth [mm]</source>
        <translation>diepte [mm]</translation>
    </message>
    <message>
        <source>% of reference peak</source>
        <translation>% van referentiepiek</translation>
    </message>
    <message>
        <source>Gy cm² per primary</source>
        <translation>Gy cm² per primair deeltje</translation>
    </message>
    <message>
        <source>Depth dose through the crosshair</source>
        <translation>Diepte-dosis door het dradenkruis</translation>
    </message>
    <message>
        <source>Lateral profile (x) at depth %1 mm</source>
        <translation>Lateraal profiel (x) op %1 mm diepte</translation>
    </message>
    <message>
        <source>x [mm]</source>
        <translation>x [mm]</translation>
    </message>
    <message>
        <source>Lateral profile (y) at depth %1 mm</source>
        <translation>Lateraal profiel (y) op %1 mm diepte</translation>
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
        <translation>Gy cm² voor %1 protonen</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::ReadoutWidget</name>
    <message>
        <source>No case loaded</source>
        <translation>Geen casus geladen</translation>
    </message>
    <message>
        <source>Voxel</source>
        <translation>Voxel</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>Positie</translation>
    </message>
    <message>
        <source>depth %1 mm, y %2 mm, x %3 mm</source>
        <translation>diepte %1 mm, y %2 mm, x %3 mm</translation>
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
        <translation>Verschil</translation>
    </message>
    <message>
        <source>γ</source>
        <translation>γ</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>n.v.t.</translation>
    </message>
    <message>
        <source> per primary</source>
        <translation> per primair deeltje</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::ReferencePanel</name>
    <message>
        <source>Added dose “%1”.</source>
        <translation>Dosis ‘%1’ toegevoegd.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Geannuleerd.</translation>
    </message>
    <message>
        <source>Pencil beam running…</source>
        <translation>Pencil beam loopt…</translation>
    </message>
    <message>
        <source>Monte Carlo</source>
        <translation>Monte Carlo</translation>
    </message>
    <message>
        <source>Pencil beam (analytic)</source>
        <translation>Pencil beam (analytisch)</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>Methode</translation>
    </message>
    <message>
        <source>Primaries</source>
        <translation>Primaire deeltjes</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Startwaarde</translation>
    </message>
    <message>
        <source>Spot σ</source>
        <translation>Spot σ</translation>
    </message>
    <message>
        <source>Compute</source>
        <translation>Berekenen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
    <message>
        <source>“%1” is not a number of primaries: enter e.g. 200000, 200k or 1.5M.</source>
        <translation>“%1” is geen aantal primaire deeltjes: voer bv. 200000, 200k of 1.5M in.</translation>
    </message>
    <message>
        <source>Primaries must be a whole number from 1 to 10^10, found “%1”.</source>
        <translation>Primaire deeltjes: geheel getal van 1 tot 10^10, gevonden “%1”.</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Mislukt: %1</translation>
    </message>
    <message>
        <source>Added dose “%1” (%2).</source>
        <translation>Dosis “%1” toegevoegd (%2).</translation>
    </message>
    <message>
        <source>Monte Carlo running (%L1 primaries)…</source>
        <translation>Monte Carlo loopt (%L1 primaire deeltjes)…</translation>
    </message>
    <message>
        <source>Recompute “%1” on the current CT</source>
        <translation>“%1” herberekenen op de huidige CT</translation>
    </message>
    <message>
        <source>Number of primary protons; k and M suffixes accepted (200k = 200000, 1.5M = 1500000)</source>
        <translation>Aantal primaire protonen; achtervoegsels k en M toegestaan (200k = 200000, 1.5M = 1500000)</translation>
    </message>
    <message>
        <source>e.g. 200k</source>
        <translation>bv. 200k</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::SliceView</name>
    <message>
        <source>Beam&apos;s-eye view (lateral plane)</source>
        <translation>Bundelaanzicht (laterale vlak)</translation>
    </message>
    <message>
        <source>Depth plane (rows × depth)</source>
        <translation>Dieptevlak (rijen × diepte)</translation>
    </message>
    <message>
        <source>Depth plane (columns × depth)</source>
        <translation>Dieptevlak (kolommen × diepte)</translation>
    </message>
    <message>
        <source>No case loaded</source>
        <translation>Geen casus geladen</translation>
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
        <translation>diepte %1 mm  (z %2 van 0–%3)</translation>
    </message>
    <message>
        <source>%1 = %2 mm  (%1 %3 of 0–%4)</source>
        <translation>%1 = %2 mm  (%1 %3 van 0–%4)</translation>
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
        <translation>bundel → diepte</translation>
    </message>
    <message>
        <source>x ↓</source>
        <translation>x ↓</translation>
    </message>
    <message>
        <source>beam into the screen</source>
        <translation>bundel het scherm in</translation>
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
        <translation>Snede (het muiswiel boven de weergave bladert ook door de sneden)</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::SlicesPanel</name>
    <message>
        <source>Display</source>
        <translation>Weergave</translation>
    </message>
    <message>
        <source>Read-out at the crosshair</source>
        <translation>Waarden bij het dradenkruis</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Aangepast</translation>
    </message>
    <message>
        <source>Soft tissue</source>
        <translation>Weke delen</translation>
    </message>
    <message>
        <source>Lung</source>
        <translation>Long</translation>
    </message>
    <message>
        <source>Bone</source>
        <translation>Bot</translation>
    </message>
    <message>
        <source>Brain</source>
        <translation>Hersenen</translation>
    </message>
    <message>
        <source>Full range</source>
        <translation>Volledig bereik</translation>
    </message>
    <message>
        <source>% of reference max</source>
        <translation>% van referentiemaximum</translation>
    </message>
    <message>
        <source>CT preset</source>
        <translation>CT-voorinstelling</translation>
    </message>
    <message>
        <source>Window [HU]</source>
        <translation>Venster [HU]</translation>
    </message>
    <message>
        <source>Level [HU]</source>
        <translation>Niveau [HU]</translation>
    </message>
    <message>
        <source>Dose unit</source>
        <translation>Dosiseenheid</translation>
    </message>
    <message>
        <source>Wash from</source>
        <translation>Kleur vanaf</translation>
    </message>
    <message>
        <source>Wash to</source>
        <translation>Kleur tot</translation>
    </message>
    <message>
        <source>Low-dose cut</source>
        <translation>Lagedosisgrens</translation>
    </message>
    <message>
        <source>Opacity</source>
        <translation>Dekking</translation>
    </message>
    <message>
        <source>Isodose levels [%]</source>
        <translation>Isodoseniveaus [%]</translation>
    </message>
    <message>
        <source>Dose colour wash</source>
        <translation>Dosiskleuroverlay</translation>
    </message>
    <message>
        <source>Isodose lines (reference dashed)</source>
        <translation>Isodoselijnen (referentie gestippeld)</translation>
    </message>
    <message>
        <source>Crosshair</source>
        <translation>Dradenkruis</translation>
    </message>
    <message>
        <source>Comma-separated levels in % of the reference maximum</source>
        <translation>Kommagescheiden niveaus in % van het referentiemaximum</translation>
    </message>
    <message>
        <source>Isodose lines (%1 solid, %2 dashed):</source>
        <translation>Isodosen (%1 doorgetrokken, %2 gestreept):</translation>
    </message>
    <message>
        <source>CT window width; right-drag in a slice view: left-right</source>
        <translation>CT-vensterbreedte; rechts slepen in een snede: links–rechts</translation>
    </message>
    <message>
        <source>CT window centre; right-drag in a slice view: up-down</source>
        <translation>CT-venstercentrum; rechts slepen in een snede: op–neer</translation>
    </message>
    <message>
        <source>“%1” is not a number of protons: enter e.g. 1e9, 2.5G or 500M</source>
        <translation>“%1” is geen aantal protonen: voer bv. 1e9, 2.5G of 500M in</translation>
    </message>
    <message>
        <source>Dose [% of reference max]</source>
        <translation>Dosis [% van referentiemaximum]</translation>
    </message>
    <message>
        <source>Dose [%1]</source>
        <translation>Dosis [%1]</translation>
    </message>
    <message>
        <source>Gy per primary</source>
        <translation>Gy per primair deeltje</translation>
    </message>
    <message>
        <source>Gy for N protons</source>
        <translation>Gy voor N protonen</translation>
    </message>
    <message>
        <source>Protons (N)</source>
        <translation>Protonen (N)</translation>
    </message>
    <message>
        <source>Engines compute Gy per primary proton; “Gy for N protons” shows dose × N (e.g. N = protons per MU × MU)</source>
        <translation>De rekenmodellen geven Gy per primair proton; “Gy voor N protonen” toont dosis × N (bv. N = protonen per MU × MU)</translation>
    </message>
    <message>
        <source>Number of protons N for the absolute dose (dose × N); k, M, G suffixes accepted</source>
        <translation>Aantal protonen N voor de absolute dosis (dosis × N); achtervoegsels k, M, G toegestaan</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::View3DPanel</name>
    <message>
        <source>CT surfaces (body, bone)</source>
        <translation>CT-oppervlakken (lichaam, bot)</translation>
    </message>
    <message>
        <source>CT volume rendering</source>
        <translation>CT-volumeweergave</translation>
    </message>
    <message>
        <source>Beam axis</source>
        <translation>Bundelas</translation>
    </message>
    <message>
        <source>Isodose surface levels in % of the reference maximum</source>
        <translation>Isodose-oppervlakniveaus in % van het referentiemaximum</translation>
    </message>
    <message>
        <source>Reset view</source>
        <translation>Weergave herstellen</translation>
    </message>
    <message>
        <source>Isodose surfaces of %1:</source>
        <translation>Isodose-oppervlakken van %1:</translation>
    </message>
    <message>
        <source>No evaluated dose</source>
        <translation>Geen geëvalueerde dosis</translation>
    </message>
    <message>
        <source>Isodose levels [%]</source>
        <translation>Isodoseniveaus [%]</translation>
    </message>
</context>
</TS>
