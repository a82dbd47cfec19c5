<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>HistoryPlot</name>
    <message>
        <source>%1: empty file, expected a training history CSV</source>
        <translation>%1 : fichier vide, CSV d’historique d’entraînement attendu</translation>
    </message>
    <message>
        <source>%1:%2: duplicate column &apos;%3&apos;</source>
        <translation>%1:%2 : colonne &apos;%3&apos; en double</translation>
    </message>
    <message>
        <source>%1:%2: missing column &apos;%3&apos; (header: %4)</source>
        <translation>%1:%2 : colonne &apos;%3&apos; manquante (en-tête : %4)</translation>
    </message>
    <message>
        <source>%1:%2: expected %3 fields as in the header, found %4</source>
        <translation>%1:%2 : %3 champs attendus comme dans l’en-tête, %4 trouvés</translation>
    </message>
    <message>
        <source>%1:%2: column &apos;%3&apos;: &apos;%4&apos; is not a number</source>
        <translation>%1:%2 : colonne &apos;%3&apos; : &apos;%4&apos; n’est pas un nombre</translation>
    </message>
    <message>
        <source>%1: no epoch rows after the header</source>
        <translation>%1 : aucune ligne d’époque après l’en-tête</translation>
    </message>
    <message>
        <source>%1: cannot read: %2</source>
        <translation>%1 : lecture impossible : %2</translation>
    </message>
    <message>
        <source>Training history</source>
        <translation>Historique d’entraînement</translation>
    </message>
    <message>
        <source>epoch %1</source>
        <translation>époque %1</translation>
    </message>
    <message>
        <source>epochs %1–%2</source>
        <translation>époques %1–%2</translation>
    </message>
    <message>
        <source>best validation loss (full) %1 at epoch %2</source>
        <translation>meilleure perte de validation (full) %1 à l’époque %2</translation>
    </message>
    <message>
        <source>max |full − stream| %1</source>
        <translation>max |full − stream| %1</translation>
    </message>
    <message>
        <source>%1 samples/s</source>
        <translation>%1 échantillons/s</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>époque</translation>
    </message>
    <message>
        <source>loss (log scale)</source>
        <translation>perte (échelle log)</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>taux d’apprentissage</translation>
    </message>
    <message>
        <source>train</source>
        <translation>entraînement</translation>
    </message>
    <message>
        <source>validation, full</source>
        <translation>validation, full</translation>
    </message>
    <message>
        <source>validation, stream (KV cache)</source>
        <translation>validation, stream (cache KV)</translation>
    </message>
    <message>
        <source>best epoch (full)</source>
        <translation>meilleure époque (full)</translation>
    </message>
    <message>
        <source>%1: cannot write PNG</source>
        <translation>%1 : impossible d’écrire le PNG</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>crosshair</source>
        <translation>réticule</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::BenchPanel</name>
    <message>
        <source>model&apos;s (e.g. 20,50,150)</source>
        <translation>du modèle (p. ex. 20,50,150)</translation>
    </message>
    <message>
        <source>slices/2</source>
        <translation>coupes/2</translation>
    </message>
    <message>
        <source>Workload</source>
        <translation>Charge de travail</translation>
    </message>
    <message>
        <source>Config (no model file)</source>
        <translation>Configuration (sans fichier de modèle)</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Lot</translation>
    </message>
    <message>
        <source>Slices</source>
        <translation>Coupes</translation>
    </message>
    <message>
        <source>Chunk (stream)</source>
        <translation>Bloc (flux)</translation>
    </message>
    <message>
        <source>Edit depth (prefix)</source>
        <translation>Profondeur de modification (préfixe)</translation>
    </message>
    <message>
        <source>Cache</source>
        <translation>Cache</translation>
    </message>
    <message>
        <source>KV precision</source>
        <translation>Précision KV</translation>
    </message>
    <message>
        <source>Compute precision</source>
        <translation>Précision de calcul</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>Threads</translation>
    </message>
    <message>
        <source>Repetitions</source>
        <translation>Répétitions</translation>
    </message>
    <message>
        <source>Warm-up runs</source>
        <translation>Exécutions de préchauffage</translation>
    </message>
    <message>
        <source>Run sweep</source>
        <translation>Lancer le balayage</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>No results loaded.</source>
        <translation>Aucun résultat chargé.</translation>
    </message>
    <message>
        <source>Load JSON…</source>
        <translation>Charger JSON…</translation>
    </message>
    <message>
        <source>Save JSON…</source>
        <translation>Enregistrer JSON…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Exporter en CSV…</translation>
    </message>
    <message>
        <source>Export chart…</source>
        <translation>Exporter le graphique…</translation>
    </message>
    <message>
        <source>Export report…</source>
        <translation>Exporter le rapport…</translation>
    </message>
    <message>
        <source>%1 results%2</source>
        <translation>%1 résultats%2</translation>
    </message>
    <message>
        <source> (cancelled sweep: finished runs only)</source>
        <translation> (balayage annulé : exécutions terminées seulement)</translation>
    </message>
    <message>
        <source>no chart to export</source>
        <translation>aucun graphique à exporter</translation>
    </message>
    <message>
        <source>Sweep failed: %1</source>
        <translation>Échec du balayage : %1</translation>
    </message>
    <message>
        <source>Load results</source>
        <translation>Charger les résultats</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Save results</source>
        <translation>Enregistrer les résultats</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>Exporter en CSV</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export chart</source>
        <translation>Exporter le graphique</translation>
    </message>
    <message>
        <source>PNG (*.png);;SVG (*.svg)</source>
        <translation>PNG (*.png);;SVG (*.svg)</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>Exporter le rapport</translation>
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
        <translation>référence</translation>
    </message>
    <message>
        <source>group</source>
        <translation>groupe</translation>
    </message>
    <message>
        <source>point</source>
        <translation>point</translation>
    </message>
    <message>
        <source>setting</source>
        <translation>réglage</translation>
    </message>
    <message>
        <source>cold</source>
        <translation>à froid</translation>
    </message>
    <message>
        <source>median</source>
        <translation>médiane</translation>
    </message>
    <message>
        <source>IQR</source>
        <translation>EIQ</translation>
    </message>
    <message>
        <source>speedup</source>
        <translation>accélération</translation>
    </message>
    <message>
        <source>CI95 low</source>
        <translation>IC95 bas</translation>
    </message>
    <message>
        <source>CI95 high</source>
        <translation>IC95 haut</translation>
    </message>
    <message>
        <source>max |diff|</source>
        <translation>max |diff.|</translation>
    </message>
    <message>
        <source>cache MB</source>
        <translation>cache Mo</translation>
    </message>
    <message>
        <source>model speedup</source>
        <translation>accélération modèle</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::CaseModel</name>
    <message>
        <source>% of reference max</source>
        <translation>% du max. de référence</translation>
    </message>
    <message>
        <source>Gy per primary</source>
        <translation>Gy par primaire</translation>
    </message>
    <message>
        <source>Gy for %1 protons</source>
        <translation>Gy pour %1 protons</translation>
    </message>
    <message>
        <source>stale: computed on a different CT</source>
        <translation>périmée : calculée sur un autre CT</translation>
    </message>
    <message>
        <source>stale: computed on the CT before edit %1</source>
        <translation>périmée : calculée sur le CT avant la modification %1</translation>
    </message>
    <message>
        <source>%1 (stale)</source>
        <translation>%1 (périmée)</translation>
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
        <translation>échec de γ : %1</translation>
    </message>
    <message>
        <source>max |Δ| %1 % of ref. max
mean |Δ| %2 %
high-dose mean rel. %3 %</source>
        <translation>|Δ| max %1 % du max réf.
|Δ| moyen %2 %
haute dose rel. moyen %3 %</translation>
    </message>
    <message>
        <source>Select two doses to compare.</source>
        <translation>Choisissez deux doses à comparer.</translation>
    </message>
    <message>
        <source>γ not computed</source>
        <translation>γ non calculé</translation>
    </message>
    <message>
        <source>Δ [% of max]</source>
        <translation>Δ [% du max]</translation>
    </message>
    <message>
        <source>Δ/D [%]</source>
        <translation>Δ/D [%]</translation>
    </message>
    <message>
        <source>computing γ…</source>
        <translation>calcul de γ…</translation>
    </message>
    <message>
        <source>γ histogram</source>
        <translation>Histogramme γ</translation>
    </message>
    <message>
        <source>γ (bin centre)</source>
        <translation>γ (centre de classe)</translation>
    </message>
    <message>
        <source>voxels</source>
        <translation>voxels</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Référence</translation>
    </message>
    <message>
        <source>Evaluated</source>
        <translation>Évaluée</translation>
    </message>
    <message>
        <source>Map</source>
        <translation>Carte</translation>
    </message>
    <message>
        <source>Range ±</source>
        <translation>Plage ±</translation>
    </message>
    <message>
        <source>γ dose</source>
        <translation>dose γ</translation>
    </message>
    <message>
        <source>γ distance</source>
        <translation>distance γ</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>Seuil</translation>
    </message>
    <message>
        <source>Local γ</source>
        <translation>γ local</translation>
    </message>
    <message>
        <source>Compute γ</source>
        <translation>Calculer γ</translation>
    </message>
    <message>
        <source>Difference (% of reference max)</source>
        <translation>Différence (% du max de référence)</translation>
    </message>
    <message>
        <source>Relative difference (% of local dose)</source>
        <translation>Différence relative (% de la dose locale)</translation>
    </message>
    <message>
        <source>γ index</source>
        <translation>Indice γ</translation>
    </message>
    <message>
        <source>γ cancelled</source>
        <translation>γ annulé</translation>
    </message>
    <message>
        <source>“%1” is %2</source>
        <translation>« %1 » est %2</translation>
    </message>
    <message>
        <source>%1 %/%2 mm local, threshold %3 % of reference max</source>
        <translation>%1 %/%2 mm local, seuil %3 % du max. de référence</translation>
    </message>
    <message>
        <source>%1 % of reference max/%2 mm, threshold %3 % of reference max</source>
        <translation>%1 % du max. de référence/%2 mm, seuil %3 % du max. de référence</translation>
    </message>
    <message>
        <source>γ capped at %1</source>
        <translation>γ plafonné à %1</translation>
    </message>
    <message>
        <source>max γ %1</source>
        <translation>γ max %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;γ pass rate %1 %&lt;/b&gt;&lt;br&gt;(%2 of %3 voxels; DoTA definition %4 %)&lt;br&gt;mean γ %5, %6&lt;br&gt;&lt;small&gt;%7&lt;/small&gt;</source>
        <translation>&lt;b&gt;Taux de réussite γ %1 %&lt;/b&gt;&lt;br&gt;(%2 sur %3 voxels ; définition DoTA %4 %)&lt;br&gt;γ moyen %5, %6&lt;br&gt;&lt;small&gt;%7&lt;/small&gt;</translation>
    </message>
    <message>
        <source>Dose-difference criterion: % of the reference maximum (global) or of the local reference dose (local γ)</source>
        <translation>Critère d’écart de dose : % du max. de référence (global) ou de la dose de référence locale (γ local)</translation>
    </message>
    <message>
        <source>Distance-to-agreement criterion in mm</source>
        <translation>Critère de distance (DTA) en mm</translation>
    </message>
    <message>
        <source>Low-dose threshold: voxels below this % of the reference maximum are not evaluated (same default as dotakv compare and dotakv report)</source>
        <translation>Seuil de faible dose : les voxels sous ce % du max. de référence ne sont pas évalués (même défaut que dotakv compare et dotakv report)</translation>
    </message>
    <message>
        <source>Local γ: the dose criterion is relative to the local reference dose</source>
        <translation>γ local : le critère de dose est relatif à la dose de référence locale</translation>
    </message>
    <message>
        <source>γ is searched up to %1 × the distance criterion and capped at %1</source>
        <translation>γ est cherché jusqu’à %1 × le critère de distance et plafonné à %1</translation>
    </message>
    <message>
        <source> % of max</source>
        <translation> % du max</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::DigitsController</name>
    <message>
        <source>No digits model loaded: choose a model file (Model…)</source>
        <translation>Aucun modèle de chiffres chargé : choisissez un fichier de modèle (Modèle…)</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::DigitsPanel</name>
    <message>
        <source>Latency sweep finished</source>
        <translation>Mesure de latence terminée</translation>
    </message>
    <message>
        <source>No digits model: %1 not found. Choose a model file with “Model…” (one written by `dotakv digits train`).</source>
        <translation>Aucun modèle de chiffres : %1 introuvable. Choisissez un fichier de modèle avec « Modèle… » (écrit par `dotakv digits train`).</translation>
    </message>
    <message>
        <source>No digits model: %1</source>
        <translation>Aucun modèle de chiffres : %1</translation>
    </message>
    <message>
        <source>Could not load the digits model %1</source>
        <translation>Impossible de charger le modèle de chiffres %1</translation>
    </message>
    <message>
        <source>Digits model %1 loaded</source>
        <translation>Modèle de chiffres %1 chargé</translation>
    </message>
    <message>
        <source>Could not open %1</source>
        <translation>Impossible d’ouvrir %1</translation>
    </message>
    <message>
        <source>Opened %1 (%2×%3 px)</source>
        <translation>%1 ouvert (%2×%3 px)</translation>
    </message>
    <message>
        <source>No digits model</source>
        <translation>Aucun modèle de chiffres</translation>
    </message>
    <message>
        <source>Choose a model file with “Model…”.</source>
        <translation>Choisissez un fichier de modèle avec « Modèle… ».</translation>
    </message>
    <message>
        <source>Could not load the benchmark %1</source>
        <translation>Impossible de charger le benchmark %1</translation>
    </message>
    <message>
        <source>Open a digit-string image</source>
        <translation>Ouvrir l’image d’une suite de chiffres</translation>
    </message>
    <message>
        <source>PNG images (*.png);;All files (*)</source>
        <translation>Images PNG (*.png);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Choose a digits model</source>
        <translation>Choisir un modèle de chiffres</translation>
    </message>
    <message>
        <source>Digits models (*.h5);;All files (*)</source>
        <translation>Modèles de chiffres (*.h5);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Load a digits benchmark</source>
        <translation>Charger un benchmark de chiffres</translation>
    </message>
    <message>
        <source>Benchmark JSON (*.json);;All files (*)</source>
        <translation>JSON de benchmark (*.json);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Latency sweep failed</source>
        <translation>Échec de la mesure de latence</translation>
    </message>
    <message>
        <source>No test string</source>
        <translation>Pas de suite de test</translation>
    </message>
    <message>
        <source>Reading the digits failed</source>
        <translation>Échec de la lecture des chiffres</translation>
    </message>
    <message>
        <source>(no digits)</source>
        <translation>(aucun chiffre)</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>oui</translation>
    </message>
    <message>
        <source>no: length limit</source>
        <translation>non : limite de longueur</translation>
    </message>
    <message>
        <source>Draw digits on the canvas (or open a PNG, or pick a random test string), then Read.</source>
        <translation>Dessinez des chiffres sur la zone de dessin (ou ouvrez un PNG, ou prenez une suite de test aléatoire), puis Lire.</translation>
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
        <translation>&lt;b&gt;%1&lt;/b&gt; · encodeur %2 · premier jeton %3 · par jeton : médiane %4 · cache KV %5 (%6) · faisceau %7 · total %8</translation>
    </message>
    <message>
        <source>Mode that ran (requested → resolved). First token: encoder and first decoding step. Per token: the later steps, one run each. KV cache: self + cross rows in use.</source>
        <translation>Mode exécuté (demandé → résolu). Premier jeton : encodeur et première étape de décodage. Par jeton : les étapes suivantes, une exécution chacune. Cache KV : lignes self et cross utilisées.</translation>
    </message>
    <message>
        <source>No calibration (dotakv calibrate --family digits): auto uses full.</source>
        <translation>Pas d’étalonnage (dotakv calibrate --family digits) : auto utilise full.</translation>
    </message>
    <message>
        <source>Test string %1 — read correctly ✓</source>
        <translation>Suite de test %1 — lue correctement ✓</translation>
    </message>
    <message>
        <source>Test string %1 — read differs ✗</source>
        <translation>Suite de test %1 — la lecture diffère ✗</translation>
    </message>
    <message>
        <source>Test string %1</source>
        <translation>Suite de test %1</translation>
    </message>
    <message>
        <source>Hover a token to see where the model looked in the image.</source>
        <translation>Survolez un jeton pour voir où le modèle a regardé dans l’image.</translation>
    </message>
    <message>
        <source>Token %1 “%2”: attention peaks on encoder columns %3–%4 (x %5–%6 px)</source>
        <translation>Jeton %1 « %2 » : attention maximale sur les colonnes d’encodeur %3–%4 (x %5–%6 px)</translation>
    </message>
    <message>
        <source>%1: %2 k parameters, up to %3 digits</source>
        <translation>%1 : %2 k paramètres, jusqu’à %3 chiffres</translation>
    </message>
    <message>
        <source>(trained up to %1)</source>
        <translation>(entraîné jusqu’à %1)</translation>
    </message>
    <message>
        <source>Read time vs string length</source>
        <translation>Temps de lecture selon la longueur</translation>
    </message>
    <message>
        <source>digits read</source>
        <translation>chiffres lus</translation>
    </message>
    <message>
        <source>read time [ms]</source>
        <translation>temps de lecture [ms]</translation>
    </message>
    <message>
        <source>No benchmark yet: load one (dotakv bench --family digits --json FILE) or measure here.</source>
        <translation>Pas encore de benchmark : chargez-en un (dotakv bench --family digits --json FICHIER) ou mesurez ici.</translation>
    </message>
    <message>
        <source>Measured here on synthetic strings (%1 px per digit), 5 reads per point after a warm-up: medians, bars = interquartile range.</source>
        <translation>Mesuré ici sur des suites synthétiques (%1 px par chiffre), 5 lectures par point après un échauffement : médianes, barres = écart interquartile.</translation>
    </message>
    <message>
        <source>From %1: medians, bars = the spread the file gives.</source>
        <translation>De %1 : médianes, barres = la dispersion donnée par le fichier.</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <source>Model…</source>
        <translation>Modèle…</translation>
    </message>
    <message>
        <source>Choose a digits model file (HDF5, family “digits”)</source>
        <translation>Choisir un fichier de modèle de chiffres (HDF5, famille « digits »)</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Entrée</translation>
    </message>
    <message>
        <source>Brush:</source>
        <translation>Pinceau :</translation>
    </message>
    <message>
        <source>Brush radius in image pixels (the image is 32 px high)</source>
        <translation>Rayon du pinceau en pixels d’image (l’image fait 32 px de haut)</translation>
    </message>
    <message>
        <source>Width:</source>
        <translation>Largeur :</translation>
    </message>
    <message>
        <source>Canvas width in image pixels; one encoder token per 8 px</source>
        <translation>Largeur de la zone de dessin en pixels d’image ; un jeton d’encodeur par 8 px</translation>
    </message>
    <message>
        <source>Undo stroke</source>
        <translation>Annuler le trait</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Effacer</translation>
    </message>
    <message>
        <source>Open PNG…</source>
        <translation>Ouvrir un PNG…</translation>
    </message>
    <message>
        <source>A 32 px high image of a digit string (white or black ink)</source>
        <translation>Une image de 32 px de haut d’une suite de chiffres (encre blanche ou noire)</translation>
    </message>
    <message>
        <source>Random test string</source>
        <translation>Suite de test aléatoire</translation>
    </message>
    <message>
        <source>Compose a string from the MNIST test split (needs MNIST in ~/.cache/dotakv/mnist, installed by scripts/setup.sh)</source>
        <translation>Composer une suite à partir de la partie test de MNIST (nécessite MNIST dans ~/.cache/dotakv/mnist, installé par scripts/setup.sh)</translation>
    </message>
    <message>
        <source>Decoding</source>
        <translation>Décodage</translation>
    </message>
    <message>
        <source>KV cache:</source>
        <translation>Cache KV :</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Désactivé</translation>
    </message>
    <message>
        <source>Self</source>
        <translation>Self</translation>
    </message>
    <message>
        <source>Full</source>
        <translation>Complet</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>Auto</translation>
    </message>
    <message>
        <source>Off: recompute every step. Self: cache the decoder&apos;s self-attention K/V. Full: also the cross-attention K/V, once per image. Auto: the calibrated policy chooses. The tokens are the same in every mode.</source>
        <translation>Désactivé : chaque étape recalcule tout. Self : met en cache les K/V de l’auto-attention du décodeur. Complet : aussi les K/V de l’attention croisée, une fois par image. Auto : la politique étalonnée choisit. Les jetons sont les mêmes dans tous les modes.</translation>
    </message>
    <message>
        <source>Beam width:</source>
        <translation>Largeur du faisceau :</translation>
    </message>
    <message>
        <source>1: greedy; more: beam search keeping this many hypotheses</source>
        <translation>1 : glouton ; plus : recherche en faisceau gardant autant d’hypothèses</translation>
    </message>
    <message>
        <source>KV storage:</source>
        <translation>Stockage KV :</translation>
    </message>
    <message>
        <source>Storage precision of the K/V cache</source>
        <translation>Précision de stockage du cache K/V</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Lire</translation>
    </message>
    <message>
        <source>Read the canvas (Ctrl+Return)</source>
        <translation>Lire la zone de dessin (Ctrl+Entrée)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>The tokens appear here one by one, with each one&apos;s latency.</source>
        <translation>Les jetons apparaissent ici un par un, chacun avec sa latence.</translation>
    </message>
    <message>
        <source>Latency under each token: the first includes the encoder; hover a token to see its cross-attention over the image</source>
        <translation>Latence sous chaque jeton : le premier inclut l’encodeur ; survolez un jeton pour voir son attention croisée sur l’image</translation>
    </message>
    <message>
        <source>Beam hypotheses</source>
        <translation>Hypothèses du faisceau</translation>
    </message>
    <message>
        <source>log-probability</source>
        <translation>log-probabilité</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Terminée</translation>
    </message>
    <message>
        <source>Latency vs length</source>
        <translation>Latence selon la longueur</translation>
    </message>
    <message>
        <source>Load benchmark…</source>
        <translation>Charger un benchmark…</translation>
    </message>
    <message>
        <source>A JSON file written by dotakv bench --family digits --json</source>
        <translation>Un fichier JSON écrit par dotakv bench --family digits --json</translation>
    </message>
    <message>
        <source>Measure</source>
        <translation>Mesurer</translation>
    </message>
    <message>
        <source>Time reads of 5, 10, 20 and 30 digits in modes off, self and full, here (a few seconds)</source>
        <translation>Chronométrer ici des lectures de 5, 10, 20 et 30 chiffres en modes off, self et full (quelques secondes)</translation>
    </message>
    <message>
        <source>Reading</source>
        <translation>Lecture</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::EditPanel</name>
    <message>
        <source>Insert %1 at %2 mm</source>
        <translation>Insérer %1 à %2 mm</translation>
    </message>
    <message>
        <source>Move shape to %1 mm</source>
        <translation>Déplacer la forme à %1 mm</translation>
    </message>
    <message>
        <source>Paint %1 HU in slice %2</source>
        <translation>Peindre %1 HU dans la coupe %2</translation>
    </message>
    <message>
        <source>Block</source>
        <translation>Bloc</translation>
    </message>
    <message>
        <source>Sphere</source>
        <translation>Sphère</translation>
    </message>
    <message>
        <source>Bone (1200 HU)</source>
        <translation>Os (1200 HU)</translation>
    </message>
    <message>
        <source>Lung (-750 HU)</source>
        <translation>Poumon (-750 HU)</translation>
    </message>
    <message>
        <source>Air (-1000 HU)</source>
        <translation>Air (-1000 HU)</translation>
    </message>
    <message>
        <source>Soft tissue (40 HU)</source>
        <translation>Tissu mou (40 HU)</translation>
    </message>
    <message>
        <source>Custom HU</source>
        <translation>HU personnalisé</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>Forme</translation>
    </message>
    <message>
        <source>Material</source>
        <translation>Matériau</translation>
    </message>
    <message>
        <source>HU</source>
        <translation>HU</translation>
    </message>
    <message>
        <source>Centre depth</source>
        <translation>Profondeur du centre</translation>
    </message>
    <message>
        <source>Thickness / diameter</source>
        <translation>Épaisseur / diamètre</translation>
    </message>
    <message>
        <source>Lateral width</source>
        <translation>Largeur latérale</translation>
    </message>
    <message>
        <source>Offset x</source>
        <translation>Décalage x</translation>
    </message>
    <message>
        <source>Offset y</source>
        <translation>Décalage y</translation>
    </message>
    <message>
        <source>Insert</source>
        <translation>Insérer</translation>
    </message>
    <message>
        <source>Move last to depth</source>
        <translation>Déplacer la dernière</translation>
    </message>
    <message>
        <source>Paint HU at crosshair</source>
        <translation>Peindre HU au réticule</translation>
    </message>
    <message>
        <source>Paint radius</source>
        <translation>Rayon du pinceau</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Défaire</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Rétablir</translation>
    </message>
    <message>
        <source>The dose is recomputed after each edit, reusing the cached tokens of the slices upstream of the change (KV cache On or Auto).</source>
        <translation>La dose est recalculée après chaque modification en réutilisant les jetons en cache des coupes situées en amont (cache KV activé ou Auto).</translation>
    </message>
    <message>
        <source>Paint %1 HU</source>
        <translation>Peindre %1 HU</translation>
    </message>
    <message>
        <source>Paint with the mouse (drag in the slices)</source>
        <translation>Peindre à la souris (glisser dans les coupes)</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::InferenceController</name>
    <message>
        <source>Off</source>
        <translation>Désactivé</translation>
    </message>
    <message>
        <source>On</source>
        <translation>Activé</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>Auto</translation>
    </message>
    <message>
        <source>random weights (no trained model found)</source>
        <translation>poids aléatoires (aucun modèle entraîné trouvé)</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>Aucun modèle chargé</translation>
    </message>
    <message>
        <source>The case grid %1×%2×%3 does not match the model grid %4×%5×%6</source>
        <translation>La grille du cas %1×%2×%3 ne correspond pas à celle du modèle %4×%5×%6</translation>
    </message>
    <message>
        <source>no calibration profile (%1); run `dotakv calibrate` — using the cache</source>
        <translation>aucun profil de calibrage (%1) ; lancez `dotakv calibrate` — cache utilisé</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>annulé</translation>
    </message>
    <message>
        <source>full recompute</source>
        <translation>recalcul complet</translation>
    </message>
    <message>
        <source>cache on</source>
        <translation>cache activé</translation>
    </message>
    <message>
        <source>cache off</source>
        <translation>cache désactivé</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::MainWindow</name>
    <message>
        <source>Reference dose failed</source>
        <translation>Échec de la dose de référence</translation>
    </message>
    <message>
        <source>Reference dose “%1” added</source>
        <translation>Dose de référence « %1 » ajoutée</translation>
    </message>
    <message>
        <source>Computing the model dose…</source>
        <translation>Calcul de la dose du modèle…</translation>
    </message>
    <message>
        <source>Dose computation failed</source>
        <translation>Échec du calcul de dose</translation>
    </message>
    <message>
        <source>z %1, y %2, x %3 — HU %4, RSP %5</source>
        <translation>z %1, y %2, x %3 — HU %4, RSP %5</translation>
    </message>
    <message>
        <source>Open case</source>
        <translation>Ouvrir un cas</translation>
    </message>
    <message>
        <source>HDF5 case or DoTA file (*.h5 *.hdf5);;All files (*)</source>
        <translation>Cas HDF5 ou fichier DoTA (*.h5 *.hdf5);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Save case as</source>
        <translation>Enregistrer le cas sous</translation>
    </message>
    <message>
        <source>HDF5 case (*.h5)</source>
        <translation>Cas HDF5 (*.h5)</translation>
    </message>
    <message>
        <source>Save screenshot</source>
        <translation>Enregistrer la capture</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>Image PNG (*.png)</translation>
    </message>
    <message>
        <source>Screenshot</source>
        <translation>Capture d’écran</translation>
    </message>
    <message>
        <source>Could not write %1</source>
        <translation>Impossible d’écrire %1</translation>
    </message>
    <message>
        <source>About dotakv studio</source>
        <translation>À propos de dotakv studio</translation>
    </message>
    <message>
        <source>&lt;b&gt;dotakv studio&lt;/b&gt;&lt;br&gt;Proton pencil-beam dose with DoTA (Pastor-Serrano &amp;amp; Perkó 2022) and KV caching.&lt;br&gt;Model: %1</source>
        <translation>&lt;b&gt;dotakv studio&lt;/b&gt;&lt;br&gt;Dose de faisceaux fins de protons avec DoTA (Pastor-Serrano &amp;amp; Perkó 2022) et cache KV.&lt;br&gt;Modèle : %1</translation>
    </message>
    <message>
        <source>Slices</source>
        <translation>Coupes</translation>
    </message>
    <message>
        <source>Projections</source>
        <translation>Projections</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Comparaison</translation>
    </message>
    <message>
        <source>3D</source>
        <translation>3D</translation>
    </message>
    <message>
        <source>Benchmark</source>
        <translation>Banc d’essai</translation>
    </message>
    <message>
        <source>CT edit</source>
        <translation>Édition CT</translation>
    </message>
    <message>
        <source>Reference dose</source>
        <translation>Dose de référence</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>Open &amp;demo case</source>
        <translation>Ouvrir un cas de &amp;démonstration</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>Fichiers &amp;récents</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Édition</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>&amp;Ouvrir…</translation>
    </message>
    <message>
        <source>Open a case file or a DoTA data file (Ctrl+O)</source>
        <translation>Ouvrir un fichier de cas ou de données DoTA (Ctrl+O)</translation>
    </message>
    <message>
        <source>Bundled demo case</source>
        <translation>Cas de démonstration fourni</translation>
    </message>
    <message>
        <source>Save case &amp;as…</source>
        <translation>Enregistrer le cas &amp;sous…</translation>
    </message>
    <message>
        <source>Save &amp;screenshot…</source>
        <translation>Enregistrer une &amp;capture…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;Undo edit</source>
        <translation>&amp;Défaire la modification</translation>
    </message>
    <message>
        <source>&amp;Redo edit</source>
        <translation>&amp;Rétablir la modification</translation>
    </message>
    <message>
        <source>&amp;Dark palette</source>
        <translation>Palette &amp;sombre</translation>
    </message>
    <message>
        <source>Recompute</source>
        <translation>Recalculer</translation>
    </message>
    <message>
        <source>Recompute the model dose with the current cache settings (F5)</source>
        <translation>Recalculer la dose du modèle avec les réglages de cache actuels (F5)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Streaming</source>
        <translation>Flux</translation>
    </message>
    <message>
        <source>Stream the dose slice by slice as tokens are processed</source>
        <translation>Diffuser la dose coupe par coupe au fil du traitement des jetons</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>À &amp;propos</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Désactivé</translation>
    </message>
    <message>
        <source>On</source>
        <translation>Activé</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>Auto</translation>
    </message>
    <message>
        <source>KV cache off</source>
        <translation>Cache KV désactivé</translation>
    </message>
    <message>
        <source>KV cache on</source>
        <translation>Cache KV activé</translation>
    </message>
    <message>
        <source>Let the calibrated policy decide</source>
        <translation>Laisser décider la politique calibrée</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>Cas</translation>
    </message>
    <message>
        <source>Dose engine</source>
        <translation>Moteur de dose</translation>
    </message>
    <message>
        <source> KV cache: </source>
        <translation> Cache KV : </translation>
    </message>
    <message>
        <source> Reference: </source>
        <translation> Référence : </translation>
    </message>
    <message>
        <source> Evaluated: </source>
        <translation> Évaluée : </translation>
    </message>
    <message>
        <source>no case</source>
        <translation>aucun cas</translation>
    </message>
    <message>
        <source>dotakv studio — %1</source>
        <translation>dotakv studio — %1</translation>
    </message>
    <message>
        <source>DoTA file</source>
        <translation>Fichier DoTA</translation>
    </message>
    <message>
        <source>Sample (0–%1):</source>
        <translation>Échantillon (0–%1) :</translation>
    </message>
    <message>
        <source>%1, sample %2</source>
        <translation>%1, échantillon %2</translation>
    </message>
    <message>
        <source>Could not open %1</source>
        <translation>Impossible d’ouvrir %1</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>%1 ouvert</translation>
    </message>
    <message>
        <source>generated demo phantom</source>
        <translation>fantôme de démonstration généré</translation>
    </message>
    <message>
        <source>Could not save %1</source>
        <translation>Impossible d’enregistrer %1</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 enregistré</translation>
    </message>
    <message>
        <source>Model dose computed in %1</source>
        <translation>Dose du modèle calculée en %1</translation>
    </message>
    <message>
        <source>model: %1</source>
        <translation>modèle : %1</translation>
    </message>
    <message>
        <source>→on</source>
        <translation>→activé</translation>
    </message>
    <message>
        <source>→off</source>
        <translation>→désactivé</translation>
    </message>
    <message>
        <source>cache %1</source>
        <translation>cache %1</translation>
    </message>
    <message>
        <source>%1 tokens reused, %2 computed</source>
        <translation>%1 jetons réutilisés, %2 calculés</translation>
    </message>
    <message>
        <source>full recompute …</source>
        <translation>recalcul complet …</translation>
    </message>
    <message>
        <source>KV %1</source>
        <translation>KV %1</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>Modèle : %1</translation>
    </message>
    <message>
        <source>Auto: %1</source>
        <translation>Auto : %1</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(aucun)</translation>
    </message>
    <message>
        <source>Export case report</source>
        <translation>Exporter le rapport du cas</translation>
    </message>
    <message>
        <source>PDF document (*.pdf);;HTML page (*.html)</source>
        <translation>Document PDF (*.pdf);;Page HTML (*.html)</translation>
    </message>
    <message>
        <source>&amp;Export case report…</source>
        <translation>&amp;Exporter le rapport du cas…</translation>
    </message>
    <message>
        <source>Could not create the demo case</source>
        <translation>Impossible de créer le cas de démonstration</translation>
    </message>
    <message>
        <source>dotakv case report</source>
        <translation>Rapport de cas dotakv</translation>
    </message>
    <message>
        <source>Could not export %1</source>
        <translation>Impossible d&apos;exporter %1</translation>
    </message>
    <message>
        <source>Report written to %1</source>
        <translation>Rapport écrit dans %1</translation>
    </message>
    <message>
        <source>&amp;Undo edit: %1</source>
        <translation>&amp;Défaire la modification : %1</translation>
    </message>
    <message>
        <source>&amp;Redo edit: %1</source>
        <translation>&amp;Rétablir la modification : %1</translation>
    </message>
    <message>
        <source> KV-cache storage: </source>
        <translation> Stockage du cache KV : </translation>
    </message>
    <message>
        <source> compute: </source>
        <translation> Calcul : </translation>
    </message>
    <message>
        <source>Storage precision of the K/V cache (fp32, fp16, int8); the arithmetic precision is set under “compute”</source>
        <translation>Précision de stockage du cache K/V (fp32, fp16, int8) ; la précision de calcul se règle sous « Calcul »</translation>
    </message>
    <message>
        <source>Arithmetic precision of the convolutions and matrix products (bf16 falls back to fp32 where the CPU lacks it)</source>
        <translation>Précision de calcul des convolutions et produits matriciels (bf16 repasse en fp32 si le CPU ne le gère pas)</translation>
    </message>
    <message>
        <source>This case&apos;s grid %1×%2×%3 differs from the model&apos;s %4×%5×%6: the model dose cannot be computed. Viewing, CT edits, Monte Carlo, pencil beam and comparisons work.</source>
        <translation>La grille de ce cas (%1×%2×%3) diffère de celle du modèle (%4×%5×%6) : la dose du modèle ne peut pas être calculée. Affichage, modifications du CT, Monte Carlo, pinceau et comparaisons fonctionnent.</translation>
    </message>
    <message>
        <source>model: needs a %1×%2×%3 grid, this case is %4×%5×%6 — MC, PBA, viewing and comparison work</source>
        <translation>modèle : grille %1×%2×%3 requise, ce cas est %4×%5×%6 — MC, PBA, affichage et comparaison marchent</translation>
    </message>
    <message>
        <source>compute %1</source>
        <translation>calcul %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;median %1&lt;/b&gt; (IQR %2, n = %3)</source>
        <translation>&lt;b&gt;médiane %1&lt;/b&gt; (EIQ %2, n = %3)</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; (one run)</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; (une exécution)</translation>
    </message>
    <message>
        <source>cache off: nothing reused</source>
        <translation>cache désactivé : rien de réutilisé</translation>
    </message>
    <message>
        <source>%1 vs full %2</source>
        <translation>%1 vs complet %2</translation>
    </message>
    <message>
        <source>%1 vs %2</source>
        <translation>%1 vs %2</translation>
    </message>
    <message>
        <source>Δ vs full %1 (%2 %)</source>
        <translation>Δ vs complet %1 (%2 %)</translation>
    </message>
    <message>
        <source>Timing on a second session, %1 warm-up and %2 interleaved runs per setting: this setting median %3 (min %4, max %5), %6 median %7 (min %8, max %9). Speed-up = ratio of medians with its %10 % bootstrap interval. The first figure before the timing finishes is one run.</source>
        <translation>Mesure sur une seconde session, %1 exécution de chauffe et %2 exécutions entrelacées par réglage : ce réglage médiane %3 (min %4, max %5), %6 médiane %7 (min %8, max %9). Accélération = rapport des médianes avec son intervalle bootstrap à %10 %. Le premier chiffre avant la fin de la mesure est une seule exécution.</translation>
    </message>
    <message>
        <source>Digits</source>
        <translation>Chiffres</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::ProjectionsPanel</name>
    <message>
        <source>MIP along depth</source>
        <translation>MIP selon la profondeur</translation>
    </message>
    <message>
        <source>MIP along x</source>
        <translation>MIP selon x</translation>
    </message>
    <message>
        <source>MIP along y</source>
        <translation>MIP selon y</translation>
    </message>
    <message>
        <source>Integrated depth dose</source>
        <translation>Dose en profondeur intégrée</translation>
    </message>
    <message>
        <source>depth [mm]</source>
        <translation>profondeur [mm]</translation>
    </message>
    <message>
        <source>% of reference peak</source>
        <translation>% du pic de référence</translation>
    </message>
    <message>
        <source>Gy cm² per primary</source>
        <translation>Gy cm² par primaire</translation>
    </message>
    <message>
        <source>Depth dose through the crosshair</source>
        <translation>Dose en profondeur au réticule</translation>
    </message>
    <message>
        <source>Lateral profile (x) at depth %1 mm</source>
        <translation>Profil latéral (x) à %1 mm de profondeur</translation>
    </message>
    <message>
        <source>x [mm]</source>
        <translation>x [mm]</translation>
    </message>
    <message>
        <source>Lateral profile (y) at depth %1 mm</source>
        <translation>Profil latéral (y) à %1 mm de profondeur</translation>
    </message>
    <message>
        <source>y [mm]</source>
        <translation>y [mm]</translation>
    </message>
    <message>
        <source>Dose [%]</source>
        <translation>Dose [%]</translation>
    </message>
    <message>
        <source>Dose [Gy]</source>
        <translation>Dose [Gy]</translation>
    </message>
    <message>
        <source>Gy cm² for %1 protons</source>
        <translation>Gy cm² pour %1 protons</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::ReadoutWidget</name>
    <message>
        <source>No case loaded</source>
        <translation>Aucun cas chargé</translation>
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
        <translation>profondeur %1 mm, y %2 mm, x %3 mm</translation>
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
        <translation>Différence</translation>
    </message>
    <message>
        <source>γ</source>
        <translation>γ</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>n.d.</translation>
    </message>
    <message>
        <source> per primary</source>
        <translation> par primaire</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::ReferencePanel</name>
    <message>
        <source>Added dose “%1”.</source>
        <translation>Dose « %1 » ajoutée.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Annulé.</translation>
    </message>
    <message>
        <source>Pencil beam running…</source>
        <translation>Faisceau fin en cours…</translation>
    </message>
    <message>
        <source>Monte Carlo</source>
        <translation>Monte Carlo</translation>
    </message>
    <message>
        <source>Pencil beam (analytic)</source>
        <translation>Faisceau fin (analytique)</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>Moteur</translation>
    </message>
    <message>
        <source>Primaries</source>
        <translation>Primaires</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Graine</translation>
    </message>
    <message>
        <source>Spot σ</source>
        <translation>σ du spot</translation>
    </message>
    <message>
        <source>Compute</source>
        <translation>Calculer</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>“%1” is not a number of primaries: enter e.g. 200000, 200k or 1.5M.</source>
        <translation>« %1 » n’est pas un nombre de primaires : saisir p. ex. 200000, 200k ou 1.5M.</translation>
    </message>
    <message>
        <source>Primaries must be a whole number from 1 to 10^10, found “%1”.</source>
        <translation>Primaires : nombre entier de 1 à 10^10, trouvé « %1 ».</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Échec : %1</translation>
    </message>
    <message>
        <source>Added dose “%1” (%2).</source>
        <translation>Dose « %1 » ajoutée (%2).</translation>
    </message>
    <message>
        <source>Monte Carlo running (%L1 primaries)…</source>
        <translation>Monte Carlo en cours (%L1 primaires)…</translation>
    </message>
    <message>
        <source>Recompute “%1” on the current CT</source>
        <translation>Recalculer « %1 » sur le CT actuel</translation>
    </message>
    <message>
        <source>Number of primary protons; k and M suffixes accepted (200k = 200000, 1.5M = 1500000)</source>
        <translation>Nombre de protons primaires ; suffixes k et M acceptés (200k = 200000, 1.5M = 1500000)</translation>
    </message>
    <message>
        <source>e.g. 200k</source>
        <translation>p. ex. 200k</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::SliceView</name>
    <message>
        <source>Beam&apos;s-eye view (lateral plane)</source>
        <translation>Vue faisceau (plan latéral)</translation>
    </message>
    <message>
        <source>Depth plane (rows × depth)</source>
        <translation>Plan en profondeur (lignes × profondeur)</translation>
    </message>
    <message>
        <source>Depth plane (columns × depth)</source>
        <translation>Plan en profondeur (colonnes × profondeur)</translation>
    </message>
    <message>
        <source>No case loaded</source>
        <translation>Aucun cas chargé</translation>
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
        <translation>profondeur %1 mm  (z %2 sur 0–%3)</translation>
    </message>
    <message>
        <source>%1 = %2 mm  (%1 %3 of 0–%4)</source>
        <translation>%1 = %2 mm  (%1 %3 sur 0–%4)</translation>
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
        <translation>faisceau → profondeur</translation>
    </message>
    <message>
        <source>x ↓</source>
        <translation>x ↓</translation>
    </message>
    <message>
        <source>beam into the screen</source>
        <translation>faisceau vers l’écran</translation>
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
        <translation>Coupe (la molette sur la vue fait aussi défiler les coupes)</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::SlicesPanel</name>
    <message>
        <source>Display</source>
        <translation>Affichage</translation>
    </message>
    <message>
        <source>Read-out at the crosshair</source>
        <translation>Valeurs au réticule</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Personnalisé</translation>
    </message>
    <message>
        <source>Soft tissue</source>
        <translation>Tissu mou</translation>
    </message>
    <message>
        <source>Lung</source>
        <translation>Poumon</translation>
    </message>
    <message>
        <source>Bone</source>
        <translation>Os</translation>
    </message>
    <message>
        <source>Brain</source>
        <translation>Cerveau</translation>
    </message>
    <message>
        <source>Full range</source>
        <translation>Plage complète</translation>
    </message>
    <message>
        <source>% of reference max</source>
        <translation>% du max de référence</translation>
    </message>
    <message>
        <source>CT preset</source>
        <translation>Préréglage CT</translation>
    </message>
    <message>
        <source>Window [HU]</source>
        <translation>Fenêtre [HU]</translation>
    </message>
    <message>
        <source>Level [HU]</source>
        <translation>Niveau [HU]</translation>
    </message>
    <message>
        <source>Dose unit</source>
        <translation>Unité de dose</translation>
    </message>
    <message>
        <source>Wash from</source>
        <translation>Couleur de</translation>
    </message>
    <message>
        <source>Wash to</source>
        <translation>Couleur à</translation>
    </message>
    <message>
        <source>Low-dose cut</source>
        <translation>Seuil bas de dose</translation>
    </message>
    <message>
        <source>Opacity</source>
        <translation>Opacité</translation>
    </message>
    <message>
        <source>Isodose levels [%]</source>
        <translation>Niveaux d’isodose [%]</translation>
    </message>
    <message>
        <source>Dose colour wash</source>
        <translation>Lavis de couleur de dose</translation>
    </message>
    <message>
        <source>Isodose lines (reference dashed)</source>
        <translation>Isodoses (référence en pointillés)</translation>
    </message>
    <message>
        <source>Crosshair</source>
        <translation>Réticule</translation>
    </message>
    <message>
        <source>Comma-separated levels in % of the reference maximum</source>
        <translation>Niveaux séparés par des virgules en % du max de référence</translation>
    </message>
    <message>
        <source>Isodose lines (%1 solid, %2 dashed):</source>
        <translation>Isodoses (%1 en trait plein, %2 en tirets) :</translation>
    </message>
    <message>
        <source>CT window width; right-drag in a slice view: left-right</source>
        <translation>Largeur de fenêtre CT ; glisser avec le bouton droit dans une coupe : gauche–droite</translation>
    </message>
    <message>
        <source>CT window centre; right-drag in a slice view: up-down</source>
        <translation>Centre de fenêtre CT ; glisser avec le bouton droit dans une coupe : haut–bas</translation>
    </message>
    <message>
        <source>“%1” is not a number of protons: enter e.g. 1e9, 2.5G or 500M</source>
        <translation>« %1 » n’est pas un nombre de protons : saisir p. ex. 1e9, 2.5G ou 500M</translation>
    </message>
    <message>
        <source>Dose [% of reference max]</source>
        <translation>Dose [% du max. de référence]</translation>
    </message>
    <message>
        <source>Dose [%1]</source>
        <translation>Dose [%1]</translation>
    </message>
    <message>
        <source>Gy per primary</source>
        <translation>Gy par primaire</translation>
    </message>
    <message>
        <source>Gy for N protons</source>
        <translation>Gy pour N protons</translation>
    </message>
    <message>
        <source>Protons (N)</source>
        <translation>Protons (N)</translation>
    </message>
    <message>
        <source>Engines compute Gy per primary proton; “Gy for N protons” shows dose × N (e.g. N = protons per MU × MU)</source>
        <translation>Les moteurs calculent des Gy par proton primaire ; « Gy pour N protons » affiche dose × N (p. ex. N = protons par UM × UM)</translation>
    </message>
    <message>
        <source>Number of protons N for the absolute dose (dose × N); k, M, G suffixes accepted</source>
        <translation>Nombre de protons N pour la dose absolue (dose × N) ; suffixes k, M, G acceptés</translation>
    </message>
</context>
<context>
    <name>dotakv::gui::View3DPanel</name>
    <message>
        <source>CT surfaces (body, bone)</source>
        <translation>Surfaces CT (corps, os)</translation>
    </message>
    <message>
        <source>CT volume rendering</source>
        <translation>Rendu volumique CT</translation>
    </message>
    <message>
        <source>Beam axis</source>
        <translation>Axe du faisceau</translation>
    </message>
    <message>
        <source>Isodose surface levels in % of the reference maximum</source>
        <translation>Niveaux des surfaces d’isodose en % du max de référence</translation>
    </message>
    <message>
        <source>Reset view</source>
        <translation>Réinitialiser la vue</translation>
    </message>
    <message>
        <source>Isodose surfaces of %1:</source>
        <translation>Surfaces isodoses de %1 :</translation>
    </message>
    <message>
        <source>No evaluated dose</source>
        <translation>Aucune dose évaluée</translation>
    </message>
    <message>
        <source>Isodose levels [%]</source>
        <translation>Niveaux isodoses [%]</translation>
    </message>
</context>
</TS>
