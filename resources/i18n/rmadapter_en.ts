<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en">
<context>
    <name />
    <message>
        <location filename="../../rmadapter_app/app.py" line="97" />
        <source>app</source>
        <comment>Something went wrong ({0}). Your project is saved; you can carry on.</comment>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/app.py" line="98" />
        <source>app</source>
        <comment>Unexpected problem</comment>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="54" />
        <source>&amp;Adapter file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="55" />
        <source>Label with a trained adapter (its classes are listed below)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="56" />
        <source>Class &amp;names only (nothing trained)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="57" />
        <source>Label with frozen CLIP from class names alone, nothing trained (“zero-shot”)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="63" />
        <source>No adapter chosen</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="64" />
        <source>The adapter file to label with</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="65" />
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="32" />
        <source>Choose…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="66" />
        <source>Choose an adapter file (.rmadapter.safetensors)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="70" />
        <source>e.g. cat, dog, bird</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="71" />
        <source>Class names separated by commas (at least two)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="73" />
        <source>optional, e.g. fox, empty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="74" />
        <source>More classes, recognised from their names alone. After a run, press Enter to re-score without reading the images again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="76" />
        <source>Classifier</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="85" />
        <source>Classes:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="86" />
        <source>Extra classes:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="29" />
        <source>Choose where the class folders go</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="30" />
        <source>Output folder: one subfolder per class, plus _uncertain. It must be outside the folders being labeled.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="33" />
        <source>Choose the output folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="34" />
        <source>&amp;Copy images</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="35" />
        <source>Copy images into class folders; the originals stay where they are</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="36" />
        <source>Mo&amp;ve images</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="37" />
        <source>Move images into class folders; Undo puts them back</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="38" />
        <source>Reports only</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="39" />
        <source>Write only the CSV/JSON reports; no image is copied or moved</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="44" />
        <source>Keep subfolders inside each class folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="45" />
        <source>Recreate each image's source subfolders below its class folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="47" />
        <source>Rename (name (1).jpg)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="48" />
        <source>Skip the image</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="49" />
        <source>What to do when a file of the same name is already in the class folder; nothing is ever overwritten</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="51" />
        <source>CSV report (labels.csv)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="53" />
        <source>Write a CSV with path, label, confidence, top classes and destination</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="54" />
        <source>JSON report (labels.json)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="55" />
        <source>Write the same report as JSON, with a summary</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="59" />
        <source>Batch size: images sent through the model together (larger is faster on a GPU and needs more memory)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="75" />
        <source>Images at a time:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="61" />
        <source>Output</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="66" />
        <source>Folder:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="72" />
        <source>Name clash:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="47" />
        <source>Images whose top confidence is below this go to the Uncertain folder. The counts update as you move it; nothing is written yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="53" />
        <source>Goes to</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/sources_panel.py" line="42" />
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="53" />
        <source>Images</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="60" />
        <source>Images per class folder at this threshold. Click a row to show only those images.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="68" />
        <source>&amp;Threshold:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="92" />
        <source>Every image with its label. Click a header to sort (e.g. by confidence); double-click a label (or press F2) to correct it before writing files.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="97" />
        <source>Show all images, one class, the uncertain ones, or unreadable files</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="98" />
        <source>&amp;Write files</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="99" />
        <source>Copy or move the images into class folders and write the reports (Ctrl+Shift+W)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="101" />
        <source>&amp;Undo last write</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="102" />
        <source>Put moved images back and remove the copies the last write made (Ctrl+Shift+Z)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="104" />
        <source>Clear corrections</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="105" />
        <source>Forget the labels you corrected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="115" />
        <source>Show:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/setup_panel.py" line="29" />
        <source>&amp;Run</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/setup_panel.py" line="30" />
        <source>Label the images (Ctrl+R). Images labeled before are read from the cache.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/setup_panel.py" line="31" />
        <source>&amp;Stop</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/setup_panel.py" line="32" />
        <source>Stop after the current batch; the results so far are kept (Esc)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/setup_panel.py" line="36" />
        <source>Images labeled so far</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/setup_panel.py" line="40" />
        <source>Run on a Ray cluster</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/setup_panel.py" line="41" />
        <source>Decode and encode the images on the Ray cluster at this address; this computer still lists, scores and writes every file. The files must be readable at the same paths on every node.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/setup_panel.py" line="45" />
        <source>auto, HOST:PORT, or local</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/setup_panel.py" line="46" />
        <source>auto: the cluster this computer belongs to; HOST:PORT: its head node; local: a cluster inside the app, on this computer only</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/sources_panel.py" line="31" />
        <source>Folders and images to label. Drop them here, paste them (Ctrl+V), or use the buttons.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/sources_panel.py" line="33" />
        <source>Add &amp;folder…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/sources_panel.py" line="34" />
        <source>Add a folder of images (Ctrl+Shift+F)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/sources_panel.py" line="35" />
        <source>Add &amp;images…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/sources_panel.py" line="36" />
        <source>Add image files</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/sources_panel.py" line="37" />
        <source>Re&amp;move</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/sources_panel.py" line="38" />
        <source>Remove the selected folders or files from the list (Delete)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/sources_panel.py" line="39" />
        <source>Include subfolders</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/sources_panel.py" line="41" />
        <source>Also label images in folders inside the chosen folders</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="56" />
        <location filename="../../rmadapter_app/gui/results_view.py" line="79" />
        <source>File: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="57" />
        <location filename="../../rmadapter_app/gui/results_view.py" line="80" />
        <source>Backbone: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="58" />
        <location filename="../../rmadapter_app/gui/results_view.py" line="81" />
        <source>Classes ({0}): {1}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="61" />
        <source>Accuracy: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="63" />
        <source>(frozen CLIP {0})</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="85" />
        <source>Created: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="66" />
        <location filename="../../rmadapter_app/gui/results_view.py" line="83" />
        <source>Training was stopped early (partial adapter).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="67" />
        <source>Created: {0} by RMAdapter Studio {1}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="66" />
        <source>Optional description, e.g. “a small domestic cat” (used in the prompt)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="67" />
        <source>Words that help the model know what this class means; they are added to the class's text prompt.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="72" />
        <source>Add images…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="72" />
        <source>Choose image files to add to this class</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="73" />
        <source>Paste</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="73" />
        <source>Paste an image or image files from the clipboard (Ctrl+V)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="74" />
        <source>Remove images</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="75" />
        <source>Remove the selected images (Delete; Ctrl+Z brings them back)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="77" />
        <source>Move to</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="78" />
        <source>Move the selected images to another class</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="82" />
        <source>Camera…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="82" />
        <source>Take pictures for this class with a camera</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="90" />
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="91" />
        <source>Thumbnail size</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="101" />
        <source>Stop</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="101" />
        <source>Stop adding; the images added so far are kept</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="153" />
        <source>No class selected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="154" />
        <source>Start by typing a class name on the left</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="155" />
        <source>Select a class on the left to see its images, or drop a folder with one subfolder per class anywhere on this page.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="161" />
        <source>No images yet: this class is recognised from its name alone.
Drop images or folders here, paste them (Ctrl+V) or use Add images…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="167" />
        <source>{0} — no images yet: recognised by its name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="176" />
        <source>Prompt: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/class_panel.py" line="41" />
        <source>Classes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/class_panel.py" line="46" />
        <source>New class name…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/class_panel.py" line="47" />
        <source>Type a class name and press Enter. A class without images is recognised zero-shot from its name.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/class_panel.py" line="50" />
        <source>Add class</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/class_panel.py" line="50" />
        <source>Add the typed class (Enter)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/class_panel.py" line="52" />
        <source>Type a class name above and press Enter, or drop a folder with one subfolder per class here.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/class_panel.py" line="59" />
        <source>Drop images or folders onto a class to add them. F2 or double-click renames, Delete removes.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/class_panel.py" line="61" />
        <source>Rename</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/class_panel.py" line="61" />
        <source>Rename the selected class (F2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/class_panel.py" line="62" />
        <source>Remove</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/class_panel.py" line="62" />
        <source>Remove the selected class and its images (Delete; Ctrl+Z brings it back)</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>AccuracyPlot</name>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="235" />
        <source>pass over the images (epoch)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="236" />
        <source>share correct</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="238" />
        <source>How many images the model gets right after each pass over the images: on the images it trains on, and on images held back to check it. The dashed line is frozen CLIP: CLIP before any training. From the second pass on, it trains on randomly cropped and flipped copies of your images, which are harder, so the training curve may fall while the held-back one rises.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="250" />
        <source>frozen CLIP {value:.2f}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="245" />
        <source>training images</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="247" />
        <source>held-back images</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>BackbonePicker</name>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/backbone_picker.py" line="21" />
        <source>fastest; best without a GPU</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/backbone_picker.py" line="22" />
        <source>more accurate; best with a GPU</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/backbone_picker.py" line="23" />
        <source>most accurate; needs a strong GPU</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/backbone_picker.py" line="24" />
        <location filename="../../rmadapter_app/gui/widgets/backbone_picker.py" line="25" />
        <source>LAION-2B weights</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/backbone_picker.py" line="79" />
        <source>Model</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/backbone_picker.py" line="85" />
        <source>The CLIP model your classifier is built on. Smaller models train faster; larger ones recognise more.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/backbone_picker.py" line="92" />
        <source>Import weights file…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/backbone_picker.py" line="93" />
        <source>Use a CLIP weights file you already have (works offline). Its model is recognised from the file.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/backbone_picker.py" line="124" />
        <source>no trained weights</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/backbone_picker.py" line="128" />
        <source>Custom model (config and weights)…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/backbone_picker.py" line="130" />
        <source>An open_clip CLIP of your own: its weights file, and its model config file if it is not one of the models above.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/backbone_picker.py" line="175" />
        <source>A GPU is available: {0}, the model RMAdapter was designed with, is the one to use here.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/backbone_picker.py" line="178" />
        <source>No GPU on this computer: {0} is the one to use here, because it trains several times faster than {1} on a processor.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/backbone_picker.py" line="181" />
        <source>No GPU on this computer: {0} is the one to use here. It trains this project in {1}; {2} would take {3}.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/backbone_picker.py" line="185" />
        <source>You chose {0}.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/backbone_picker.py" line="193" />
        <source>{0} has no trained weights, only a model config: training on it is refused, because a random network learns nothing useful from a few images. Choose a model above, or give its weights with “Custom model…”.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/backbone_picker.py" line="198" />
        <source>Checking {0}…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/backbone_picker.py" line="201" />
        <source> Training this project takes {0} here.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/backbone_picker.py" line="204" />
        <source>{0} is on this computer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/backbone_picker.py" line="206" />
        <source>{0} is not on this computer, and this computer is offline, so it cannot be downloaded now. Import its weights file if you have one (for {1}: the open_clip_model.safetensors file), or connect to the internet and press Train again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/backbone_picker.py" line="210" />
        <source> Training this project then takes {0} here.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/backbone_picker.py" line="212" />
        <source>{0} is not on this computer yet: Train first downloads it ({1}, once).</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>CameraDialog</name>
    <message>
        <location filename="../../rmadapter_app/gui/camera.py" line="70" />
        <source>Camera: pictures for “{0}”</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/camera.py" line="75" />
        <source>Which camera to use</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/camera.py" line="76" />
        <source>Take picture</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/camera.py" line="78" />
        <source>Add a picture to “{0}” (Space)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/camera.py" line="80" />
        <source>Done</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/camera.py" line="83" />
        <source>Camera:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/camera.py" line="108" />
        <source>No camera found. Connect one and open this window again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/camera.py" line="122" />
        <source>Point the camera at an example of “{0}” and press Space.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../../rmadapter_app/gui/camera.py" line="133" />
        <source>%n picture(s) taken for “{0}”.</source>
        <translation><numerusform>%n picture taken for “{0}”.</numerusform><numerusform>%n pictures taken for “{0}”.</numerusform></translation>
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/camera.py" line="138" />
        <source>The picture could not be taken: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/camera.py" line="142" />
        <source>The camera stopped: {0}</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ClassListPanel</name>
    <message>
        <location filename="../../rmadapter_app/gui/project/class_panel.py" line="115" />
        <source>Rename</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/class_panel.py" line="116" />
        <source>Remove class</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/class_panel.py" line="118" />
        <source>Add images…</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ClassifierPanel</name>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="133" />
        <source>Choose an adapter</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="168" />
        <source>No adapter: train one, open one, or use class names.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="177" />
        <source>{0} classes: {1}
Backbone: {2}</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ConfidenceHistogram</name>
    <message>
        <location filename="../../rmadapter_app/gui/label/histogram.py" line="27" />
        <source>top confidence</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/histogram.py" line="28" />
        <source>images</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/histogram.py" line="30" />
        <source>How sure the classifier is about each image. Images left of the line go to the Uncertain folder; drag the line or use the slider.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ConfusionMatrixView</name>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/confusion.py" line="85" />
        <source>Confusion matrix: rows are the true classes, columns the predictions. Click a cell to see its images.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ConfusionModel</name>
    <message numerus="yes">
        <location filename="../../rmadapter_app/gui/widgets/confusion.py" line="59" />
        <source>%n validation image(s) of “{0}” predicted as “{1}”. Click to see them.</source>
        <translation><numerusform>%n validation image of “{0}” predicted as “{1}”. Click to see them.</numerusform><numerusform>%n validation images of “{0}” predicted as “{1}”. Click to see them.</numerusform></translation>
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/confusion.py" line="67" />
        <source>True class (rows)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/confusion.py" line="68" />
        <source>Predicted class (columns)</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>CustomModelDialog</name>
    <message>
        <location filename="../../rmadapter_app/gui/custom_model.py" line="34" />
        <source>Custom model</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/custom_model.py" line="36" />
        <source>open_clip_model.safetensors, .bin, .pt</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/custom_model.py" line="38" />
        <source>only for an architecture open_clip does not know</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/custom_model.py" line="40" />
        <source>&amp;Weights file:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/custom_model.py" line="41" />
        <source>Model &amp;config (optional):</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/custom_model.py" line="43" />
        <source>Give the weights file of an open_clip CLIP. Its model is recognised from the file; add its model config (a .json file) only if it is an architecture open_clip does not know.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/custom_model.py" line="62" />
        <source>Browse…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/custom_model.py" line="69" />
        <source>Choose a CLIP weights file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/custom_model.py" line="75" />
        <source>Choose an open_clip model config</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ImageAdder</name>
    <message>
        <location filename="../../rmadapter_app/gui/image_adder.py" line="52" />
        <source>Wait until “{0}” has finished, then add the images again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/image_adder.py" line="53" />
        <source>Adding images</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/image_adder.py" line="55" />
        <source>Another job is running.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ImageGridPanel</name>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="129" />
        <source>Size:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="198" />
        <source>Checking and copying images: %v of %m</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="235" />
        <source>Remove</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="237" />
        <source>Move to</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="244" />
        <source>Open image</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>LabelDelegate</name>
    <message>
        <location filename="../../rmadapter_app/gui/label/delegate.py" line="17" />
        <source>Choose the right class for this image</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>LabelPage</name>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="179" />
        <source>Add a folder of images</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="185" />
        <source>Add images</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="196" />
        <source>The clipboard holds no files or folders.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="208" />
        <location filename="../../rmadapter_app/gui/label_view.py" line="357" />
        <source>Choose the output folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="252" />
        <source>Busy with “{0}”; try again when it has finished.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="262" />
        <source>Add a folder or images to label first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="266" />
        <source>Choose an adapter file, or type at least two class names.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="272" />
        <source>Preparing the classifier…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="273" />
        <source>Listing images…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="282" />
        <source>Re-scoring from the cache…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="290" />
        <source>Stopping after the current batch…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="295" />
        <source>Labeling on {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="321" />
        <source>Stopped.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="322" />
        <source>Label</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="354" />
        <source>Nothing to write yet: run labeling first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="363" />
        <source>Choose a CSV or JSON report, or copy or move the images.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="367" />
        <source>Move images?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="368" />
        <source>Move {0} images out of their folders into {1}?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="369" />
        <source>Undo last write puts every moved image back.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="382" />
        <source>Writing files…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="398" />
        <source>Some images were not written</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="399" />
        <source>{0} images could not be written; the others were.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="412" />
        <source>Undoing the last write…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="419" />
        <source>Undo</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="419" />
        <source>Some files were left in place:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="423" />
        <source>Undone: {0}</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>LabelResultsModel</name>
    <message>
        <location filename="../../rmadapter_app/gui/label/results_model.py" line="205" />
        <source>The image file (hover for its full path)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/results_model.py" line="206" />
        <source>Where the image will go; double-click to correct it</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/results_model.py" line="207" />
        <source>The classifier's confidence in its top class</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/results_model.py" line="208" />
        <source>The most likely classes with their probabilities</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/results_model.py" line="209" />
        <source>Why a file could not be read, or that a label was corrected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/results_model.py" line="222" />
        <location filename="../../rmadapter_app/gui/label/results_model.py" line="246" />
        <source>Uncertain</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/results_model.py" line="253" />
        <source>Corrected by you (the classifier said {0})</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/results_model.py" line="255" />
        <source>Below the threshold: the classifier's best guess was {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/results_model.py" line="268" />
        <source>corrected</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>LossPlot</name>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="28" />
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="90" />
        <source>classification</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="29" />
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="92" />
        <source>total</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="30" />
        <source>staying close to CLIP</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="31" />
        <source>image reconstruction</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="32" />
        <source>text reconstruction</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="34" />
        <source>Classification: how wrong the model still is about the training images. It should go down.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="36" />
        <source>Total: everything training tries to lower, added up (right axis). It should go down.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="38" />
        <source>Staying close to CLIP: how far the adapted model has moved from the original CLIP. Keeping it small keeps what CLIP already knows, such as classes named without images.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="41" />
        <source>Image reconstruction: how well the adapter can rebuild the image features it was given, so it keeps their information.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="43" />
        <source>Text reconstruction: the same for the class names' text features.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="89" />
        <source>training step</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="107" />
        <source>Details</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="111" />
        <source>Log scale</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="112" />
        <source>Show the loss axes on a logarithmic scale (small changes of small values become visible).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="151" />
        <source> (left)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="151" />
        <source> (right)</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="98" />
        <location filename="../../rmadapter_app/gui/main_window.py" line="355" />
        <source>RMAdapter Studio</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="105" />
        <source>Switch pages (Ctrl+1 … Ctrl+5)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="121" />
        <source>Device: checking…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="122" />
        <source>Where training and classifying run</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="157" />
        <source>&amp;File</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="158" />
        <source>&amp;New project…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="159" />
        <source>Create an empty project folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="160" />
        <source>&amp;Open project…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="161" />
        <source>Open a project folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="162" />
        <source>Open &amp;recent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="165" />
        <source>&amp;Import folder of class folders…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="166" />
        <source>Create one class per subfolder, with its images</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="167" />
        <source>Show project &amp;folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="168" />
        <source>Open the project folder in the file manager</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="170" />
        <source>&amp;Quit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="171" />
        <source>&amp;Edit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="172" />
        <location filename="../../rmadapter_app/gui/main_window.py" line="368" />
        <source>&amp;Undo</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="173" />
        <source>Add &amp;class</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="173" />
        <source>Type a new class name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="174" />
        <source>&amp;Paste images</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="175" />
        <source>Paste an image or image files into the selected class</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="176" />
        <source>&amp;Model</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="177" />
        <source>&amp;Train</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="177" />
        <source>Train on the project</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="178" />
        <source>&amp;Stop</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="178" />
        <source>Stop the running job; partial results are kept</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="180" />
        <source>&amp;Save adapter…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="181" />
        <source>&amp;Open adapter…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="182" />
        <source>&amp;Help</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="183" />
        <source>&amp;About RMAdapter Studio</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="184" />
        <source>Open &amp;log folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="202" />
        <location filename="../../rmadapter_app/gui/main_window.py" line="206" />
        <source>Could not open the project</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="207" />
        <source>{0} could not be opened: the project looks damaged ({1}).</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../../rmadapter_app/gui/main_window.py" line="212" />
        <source>%n image file(s) are missing from the project folder; see Problems.</source>
        <translation><numerusform>%n image file is missing from the project folder; see Problems.</numerusform><numerusform>%n image files are missing from the project folder; see Problems.</numerusform></translation>
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="223" />
        <location filename="../../rmadapter_app/gui/main_window.py" line="226" />
        <source>Could not reopen the last project: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="227" />
        <source>{0} looks damaged ({1})</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="237" />
        <source>New project</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="237" />
        <source>Project name:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="237" />
        <source>My classifier</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="243" />
        <source>Could not create the project</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="251" />
        <source>Open project folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="275" />
        <source>(no recent projects)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="308" />
        <source>That is not available in this build.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="322" />
        <location filename="../../rmadapter_app/gui/main_window.py" line="398" />
        <source>Stopping…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="334" />
        <source>About RMAdapter Studio</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="335" />
        <source>&lt;b&gt;RMAdapter Studio&lt;/b&gt; {0}&lt;br&gt;Build an image classifier from a few pictures per class: RMAdapter on a frozen CLIP, on your own computer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="349" />
        <source>Device: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="357" />
        <source>{0} — RMAdapter Studio</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="360" />
        <source>Project folder: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="368" />
        <source>&amp;Undo {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="374" />
        <source>Running: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="375" />
        <source>Running: </source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="386" />
        <source>Wait until “{0}” has finished (or stop it with Esc).</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ModelStep</name>
    <message>
        <location filename="../../rmadapter_app/gui/model_step.py" line="45" />
        <source>Busy: {0} is running.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/model_step.py" line="55" />
        <source>{0}, once</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/model_step.py" line="56" />
        <source>several hundred MB, once</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/model_step.py" line="57" />
        <source>The {0} weights are not on this computer yet. Download them now ({1})?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/model_step.py" line="60" />
        <source>Training this project then takes {0} here.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/model_step.py" line="62" />
        <source>The {0} weights are not on this computer, and this computer seems to be offline.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/model_step.py" line="64" />
        <source>Or import a weights file you already have.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/model_step.py" line="81" />
        <source>{0} could not be downloaded: this computer seems to be offline. Connect to the internet and press Train again, or import a weights file you already have.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/model_step.py" line="86" />
        <source>the download did not work</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/model_step.py" line="87" />
        <source>{0} could not be downloaded ({1}). Try again later, or import a weights file you already have.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/model_step.py" line="99" />
        <source>Import weights for {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/model_step.py" line="104" />
        <source>Checking and importing {0}…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/model_step.py" line="105" />
        <source>Importing weights…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/model_step.py" line="110" />
        <source>Weights imported to {0}.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/model_step.py" line="114" />
        <source>That is not the model that was chosen, so {0} is now chosen.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/model_step.py" line="122" />
        <source>Import weights</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/model_step.py" line="134" />
        <source>Checking {0}…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/model_step.py" line="145" />
        <source>Custom model</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ModelsPanel</name>
    <message>
        <location filename="../../rmadapter_app/gui/models_panel.py" line="55" />
        <source>Every training run of this project, newest first. Accuracy: on images the model did not train on, with frozen CLIP's on the same images. Double-click a run to use it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/models_panel.py" line="62" />
        <source>&amp;Use this model</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/models_panel.py" line="63" />
        <source>Use the selected run's model on the Results, Try it and Label pages.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/models_panel.py" line="84" />
        <source>cannot be read</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/models_panel.py" line="86" />
        <source>{0} (frozen CLIP {1})</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/models_panel.py" line="88" />
        <source>not measured</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/models_panel.py" line="89" />
        <source>damaged</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/models_panel.py" line="90" />
        <source>stopped</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/models_panel.py" line="90" />
        <source>complete, check stopped</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/models_panel.py" line="89" />
        <source>complete</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>PredictionGallery</name>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/confusion.py" line="156" />
        <source>true: {0}</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ProblemsPanel</name>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/problems_panel.py" line="31" />
        <source>Clear</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/problems_panel.py" line="32" />
        <source>Empty this list (the files themselves are not touched)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/problems_panel.py" line="35" />
        <source>File</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/problems_panel.py" line="35" />
        <source>Problem</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/problems_panel.py" line="77" />
        <source>already in the project, in class “{0}”</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../../rmadapter_app/gui/widgets/problems_panel.py" line="101" />
        <location filename="../../rmadapter_app/gui/widgets/problems_panel.py" line="106" />
        <source>Problems: %n file(s) not added or missing</source>
        <translation><numerusform>Problems: %n file not added or missing</numerusform><numerusform>Problems: %n files not added or missing</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../rmadapter_app/gui/widgets/problems_panel.py" line="102" />
        <source>%n added with a note</source>
        <translation><numerusform>%n added with a note</numerusform><numerusform>%n added with a note</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../rmadapter_app/gui/widgets/problems_panel.py" line="104" />
        <source>Notes: %n file(s) added with a note</source>
        <translation><numerusform>Notes: %n file added with a note</numerusform><numerusform>Notes: %n files added with a note</numerusform></translation>
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/problems_panel.py" line="107" />
        <source>(newest first)</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ProjectNamePanel</name>
    <message>
        <location filename="../../rmadapter_app/gui/project/name_panel.py" line="42" />
        <source>Rename project…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/name_panel.py" line="43" />
        <source>Give the project another name (its folder keeps its name)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/name_panel.py" line="53" />
        <source>No project open: type a class name below to start one.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/name_panel.py" line="56" />
        <source>Project: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/name_panel.py" line="57" />
        <source>{0}
Folder: {1}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/name_panel.py" line="65" />
        <source>New project</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/name_panel.py" line="66" />
        <source>A name for the new project (you can change it later):</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/name_panel.py" line="68" />
        <source>No project yet: it needs a name first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/name_panel.py" line="71" />
        <source>Untitled</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/name_panel.py" line="73" />
        <source>Could not create a project</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/name_panel.py" line="82" />
        <source>Rename project</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/name_panel.py" line="82" />
        <source>New name (the folder keeps its name):</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/name_panel.py" line="89" />
        <source>Could not rename the project</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/name_panel.py" line="93" />
        <source>The project is now called “{0}”.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ProjectPage</name>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="223" />
        <source>Could not remove the class</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="225" />
        <source>Removed class “{0}” (Ctrl+Z brings it back).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="237" />
        <source>Could not remove the images</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../../rmadapter_app/gui/project_view.py" line="239" />
        <source>Removed %n image(s) (Ctrl+Z brings them back).</source>
        <translation><numerusform>Removed %n image (Ctrl+Z brings them back).</numerusform><numerusform>Removed %n images (Ctrl+Z brings them back).</numerusform></translation>
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="248" />
        <source>Nothing to undo.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="253" />
        <source>Could not undo</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="255" />
        <source>Undone: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="170" />
        <location filename="../../rmadapter_app/gui/project_view.py" line="260" />
        <location filename="../../rmadapter_app/gui/project_view.py" line="306" />
        <source>Select or add a class first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="173" />
        <source>No camera support in this installation: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="181" />
        <source>The class “{0}” is gone; the picture was not added.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="185" />
        <source>The picture could not be saved.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="201" />
        <source>Added class “{0}”. Drop images onto it, or keep it as it is: it is recognised by its name.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="267" />
        <source>Folder with one subfolder per class</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="290" />
        <source>Add a class first, then drop images onto it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="291" />
        <source>dropped outside a class: drop it onto a class</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="303" />
        <source>The clipboard holds no image and no image files.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="310" />
        <source>The clipboard image could not be read.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_adding.py" line="50" />
        <source>Stopped early; the images added so far are kept.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="352" />
        <source>Could not add the images</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="358" />
        <source>Images are still being added; wait a moment.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="372" />
        <source>Could not move the images</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../../rmadapter_app/gui/project_view.py" line="374" />
        <source>Moved %n image(s) to “{0}”.</source>
        <translation><numerusform>Moved %n image to “{0}”.</numerusform><numerusform>Moved %n images to “{0}”.</numerusform></translation>
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="412" />
        <source>missing from the project folder (class “{0}”)</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../../rmadapter_app/gui/project_adding.py" line="40" />
        <source>Added %n image(s).</source>
        <translation><numerusform>Added %n image.</numerusform><numerusform>Added %n images.</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../rmadapter_app/gui/project_adding.py" line="42" />
        <source>Created %n class(es).</source>
        <translation><numerusform>Created %n class.</numerusform><numerusform>Created %n classes.</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../rmadapter_app/gui/project_adding.py" line="44" />
        <source>%n already in the project.</source>
        <translation><numerusform>%n already in the project.</numerusform><numerusform>%n already in the project.</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../rmadapter_app/gui/project_adding.py" line="46" />
        <source>%n file(s) skipped: see Problems.</source>
        <translation><numerusform>%n file skipped: see Problems.</numerusform><numerusform>%n files skipped: see Problems.</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../rmadapter_app/gui/project_adding.py" line="48" />
        <source>%n added with a note: see Problems.</source>
        <translation><numerusform>%n added with a note: see Problems.</numerusform><numerusform>%n added with a note: see Problems.</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="166" />
        <source>{0} — %n image(s)</source>
        <translation><numerusform>{0} — %n image</numerusform><numerusform>{0} — %n images</numerusform></translation>
    </message>
</context>
<context>
    <name>ResultsPage</name>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="121" />
        <source>&amp;Load adapter…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="142" />
        <source>Class</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="149" />
        <location filename="../../rmadapter_app/gui/results_view.py" line="195" />
        <source>Click a cell of the confusion matrix to see its images.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="159" />
        <source>Selected cell</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="160" />
        <location filename="../../rmadapter_app/gui/results_view.py" line="206" />
        <source>Misclassified</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="228" />
        <source>Misclassified ({0})</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="240" />
        <source>Trained on {0} images of {1} classes: {2} steps in {3} s on {4}.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="246" />
        <source>Stopped early after {0} of {1} steps: these numbers describe the partial adapter.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../../rmadapter_app/gui/results_view.py" line="249" />
        <source>%n unreadable image(s) were skipped.</source>
        <translation><numerusform>%n unreadable image was skipped.</numerusform><numerusform>%n unreadable images were skipped.</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../rmadapter_app/gui/results_view.py" line="261" />
        <source>%n image(s) of “{0}” predicted as “{1}”</source>
        <translation><numerusform>%n image of “{0}” predicted as “{1}”</numerusform><numerusform>%n images of “{0}” predicted as “{1}”</numerusform></translation>
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="117" />
        <source>&amp;Save a copy…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="118" />
        <source>Save a copy of the model in use where you choose, to use it elsewhere (Ctrl+S). It stays in the project too.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="122" />
        <source>Open an adapter file; its header is shown before it is used, and a file from elsewhere is copied into the project's models.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="130" />
        <source>Models of this project</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="142" />
        <source>Correct</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="142" />
        <source>Checked on</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="145" />
        <source>How often each class was recognised among the images held back to check the model.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="153" />
        <source>Held-back images the model got wrong, with its top guesses.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="198" />
        <source>No model yet: train one on the Train page, or load an adapter file.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="199" />
        <source>The model in use cannot be read.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="235" />
        <source>Checked on very few images of {0}: these figures are rough. Add images (10 or more per class) for a firmer figure.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="238" />
        <source>How it was checked: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="243" />
        <source>The accuracy check was stopped: the figures come from the part that finished; the model itself is complete.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="251" />
        <source>The images behind these figures were not kept with this file.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="274" />
        <source>Using the model {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="284" />
        <source>No model in use yet. Training keeps every run here; or load an adapter file.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="305" />
        <location filename="../../rmadapter_app/gui/results_view.py" line="309" />
        <location filename="../../rmadapter_app/gui/results_view.py" line="323" />
        <source>Save adapter</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="306" />
        <source>There is no adapter to save yet: train one first, or load one.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="316" />
        <source>The adapter is already saved as {0}.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="324" />
        <source>The adapter could not be saved: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="326" />
        <source>Saved a copy as {0}.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="330" />
        <source>Adapter saved as {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="342" />
        <source>the backbone it was trained on is no longer loaded; train again</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="359" />
        <location filename="../../rmadapter_app/gui/results_view.py" line="382" />
        <source>Load adapter</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="367" />
        <source>Cannot use this adapter file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="372" />
        <source>It was trained on {0}; the current backbone choice is {1}. Classifying with it uses {0}.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="374" />
        <source>Load this adapter?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="383" />
        <source>The adapter could not be copied into the project: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="385" />
        <source>Copied {0} into the project's models.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="387" />
        <source>Using adapter {0}</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ReviewPanel</name>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="166" />
        <source>{0:.0%} confidence</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="186" />
        <source>Uncertain (below threshold)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="188" />
        <source>Unreadable (skipped)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="208" />
        <source>All images</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="211" />
        <source>Uncertain</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="212" />
        <source>Unreadable</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>RunMonitor</name>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="34" />
        <source>Progress of the current phase.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="36" />
        <source>Speed, and time left for the whole run (cross-validation included).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="42" />
        <source>What training is doing, step by step.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="73" />
        <source>Starting…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="108" />
        <source>, validation {0:.1%}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="109" />
        <source>fold {0}, </source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="110" />
        <source>{0}epoch {1}/{2}: train {3:.1%}{4}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="116" />
        <source>Frozen CLIP (before training) gets {0:.1%} of {1} held-back images right.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="119" />
        <source>Cross-validation fold {0}/{1}: {2:.1%} on {3} held-out images.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="129" />
        <source>The model is trained and kept; now checking how good it is.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="131" />
        <source>Warning: </source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="140" />
        <source>Checking accuracy, round {0} of {1} (a model trained without some images): step {2} of {3}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="143" />
        <source>Training on {0} of {1} images ({2} held back to check it): step {3} of {4}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="146" />
        <source>Training on all {0} images: step {1} of {2}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="147" />
        <source>Training: step {0} of {1}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="151" />
        <source>Downloading {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="155" />
        <source>{0:.0f} of {1:.0f} MB (Stop cancels)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="158" />
        <source>{0:.0f} MB (Stop cancels)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="181" />
        <source>{0:.1f} steps/s · about {1} left</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>SetupPanel</name>
    <message>
        <location filename="../../rmadapter_app/gui/label/setup_panel.py" line="103" />
        <source>Downloading {0}…</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>TrainPage</name>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="91" />
        <location filename="../../rmadapter_app/gui/train_view.py" line="288" />
        <location filename="../../rmadapter_app/gui/train_view.py" line="293" />
        <location filename="../../rmadapter_app/gui/train_view.py" line="304" />
        <location filename="../../rmadapter_app/gui/train_view.py" line="314" />
        <source>Train</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="97" />
        <source>Train an adapter on this project's images (Ctrl+Return).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="99" />
        <source>Stop</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="100" />
        <source>Stop after the current step and keep what was trained (Esc).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="102" />
        <source>Use the stopped model</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="103" />
        <source>Make the model of the stopped run the one in use (Results and Try it show it). The other models stay in the list.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="109" />
        <location filename="../../rmadapter_app/gui/train_view.py" line="194" />
        <source>Device: chosen when training starts.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="114" />
        <source>Advanced</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="118" />
        <source>Passes, images per class, learning rate, loss weights, seed, device.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="269" />
        <source>Recognised by name only (no images): {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="350" />
        <source>Using the stopped run's model {0}.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="383" />
        <source>Stopped after {0} of {1} steps.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="385" />
        <source>Its partial model is kept and in use (there was no other).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="387" />
        <source>Its partial model is kept in the Models list on the Results page; the model in use stays as it was.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="403" />
        <source>Model kept as {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="257" />
        <source>Open or create a project to train.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="263" />
        <source>{0} classes, {1} images.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="271" />
        <source>Add at least two classes to train.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="273" />
        <source>Add images to at least one class to train.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="284" />
        <source>Busy: {0} is running.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="288" />
        <source>Open or create a project first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="294" />
        <source>Training needs at least two classes and some images. Add classes and drop images on them; a class without images is still recognised from its name.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="300" />
        <source>Training settings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="305" />
        <source>{0} has no trained weights, only a model config, so training would start from a random network and could not learn anything useful from a few images. Choose one of the models on this page, or give this model's weights file with “Custom model…”.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="321" />
        <source>Training {0} classes on {1} images with {2}.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="332" />
        <source>Stopping after this step…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="364" />
        <source>Training on: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="367" />
        <source>Device: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="380" />
        <source>Stopped while its accuracy was being measured: the model itself finished training and is kept.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="392" />
        <source>Done in {0}.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../../rmadapter_app/gui/train_view.py" line="394" />
        <source>%n unreadable image(s) were skipped (listed in the log below).</source>
        <translation><numerusform>%n unreadable image was skipped (listed in the log below).</numerusform><numerusform>%n unreadable images were skipped (listed in the log below).</numerusform></translation>
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="405" />
        <source>Saving the adapter</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="406" />
        <source>Training worked, but the adapter could not be saved automatically: {0}
Use Save adapter on the Results page to save it elsewhere.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="412" />
        <source>Stopped before anything was trained; nothing to keep.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="416" />
        <source>Training failed: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="417" />
        <source>Training failed</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>TrainSettings</name>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="42" />
        <source>Auto</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="45" />
        <source>All</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="46" />
        <source>Images per class used for training (All: every image).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="57" />
        <source>Random seed: the same seed gives the same run.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="59" />
        <source>Automatic (GPU if available)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="59" />
        <source>CPU</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="60" />
        <source>NVIDIA GPU (CUDA)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="60" />
        <source>Apple GPU (MPS)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="62" />
        <source>Where training runs.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="63" />
        <source>Augment images (random crop and flip)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="64" />
        <source>Helps with varied photos; makes training slower.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="51" />
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="66" />
        <source>Automatic</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="43" />
        <source>How many times training goes over every image (Auto: the recommended number).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="52" />
        <source>How big a step training takes (the SGD learning rate). Automatic: the app's choice for this model and these images; a number overrides it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="66" />
        <source>Hold out 20%</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="67" />
        <source>Cross-validation</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="67" />
        <source>None</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="69" />
        <source>How accuracy is measured. Automatic holds out images when there are enough, and cross-validates otherwise.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="73" />
        <source>&amp;Passes (epochs):</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="74" />
        <source>Images per c&amp;lass:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="75" />
        <source>&amp;Learning rate:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="77" />
        <source>&amp;Validation:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="78" />
        <source>See&amp;d:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="79" />
        <source>De&amp;vice:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="83" />
        <source>RMAdapter (all losses)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="83" />
        <source>MMA (classification only)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="84" />
        <source>MMA + consistency</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="84" />
        <source>MMA + consistency + text recon.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="85" />
        <source>MMA + consistency + image recon.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="88" />
        <source>Presets of the loss switches (the paper's ablation ladder).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="90" />
        <source>Consistency</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="91" />
        <source>Keep the adapted features close to frozen CLIP's (keeps its general knowledge).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="93" />
        <source>Image reconstruction</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="94" />
        <source>Use the image-tower reconstruction loss.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="95" />
        <source>Text reconstruction</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="96" />
        <source>Use the text-tower reconstruction loss.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="97" />
        <source>Weight of the L1 distance between adapted and frozen image features.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="98" />
        <source>image </source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="99" />
        <source>Weight of the L1 distance between adapted and frozen text features.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="100" />
        <source>text </source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="101" />
        <source>Weight of the image-tower reconstruction loss.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="102" />
        <source>Weight of the text-tower reconstruction loss.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="103" />
        <source>Loss terms and weights</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="105" />
        <source>Preset:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="111" />
        <source>Restore &amp;defaults</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="112" />
        <source>Put every advanced setting back to its default (the backbone stays).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="224" />
        <source>The last run used {0:.5g}.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>TryPage</name>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="92" />
        <source>&amp;Choose image…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="93" />
        <source>Pick an image file to classify.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="101" />
        <source>Class</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="101" />
        <source>Confidence</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="106" />
        <source>Every class ranked by the classifier's confidence for this image.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="108" />
        <source>Add classes by name, e.g. cat, dog</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="109" />
        <source>Classes typed here are recognised from their names alone and ranked with the others (separate names with commas).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="112" />
        <source>&amp;Add</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="113" />
        <source>Add the typed class names (Enter).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="115" />
        <source>C&amp;lear added</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="116" />
        <source>Forget the classes added by name.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="154" />
        <source>No classes yet: add classes to the project, train, or load an adapter.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="156" />
        <source>Classifier: the model in use, {0} (choose another on the Results page)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="159" />
        <source>Classifier: the model of the last training run</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="161" />
        <source>Classifier: frozen CLIP, recognising the project's classes by their names (nothing trained yet)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="164" />
        <source>Added by name: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="176" />
        <source>Drop an image here, paste one (Ctrl+V), or choose a file.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="194" />
        <source>{0} is no longer on disk (was its class removed?). Drop an image to rank it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="200" />
        <source>The classifier changed; drop the image again to re-rank it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="210" />
        <source>Choose an image</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="229" />
        <source>That is not an image. Drop or paste a picture file.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="312" />
        <source>Nothing to classify with yet: add classes to the project, train, or load an adapter.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="316" />
        <source>Busy with “{0}”; try again when it has finished.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="338" />
        <source>Classifying…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="339" />
        <source>Preparing the classifier…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="346" />
        <source>The {0} weights are not on this computer yet. Download them now (several hundred MB), or import a weights file you already have.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="351" />
        <source>Import weights for {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="354" />
        <source>Checking and importing {0}…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="358" />
        <source>The backbone weights are needed to classify.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="362" />
        <source>Weights imported.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="369" />
        <source>Downloading {0}: {1:.0f}{2} MB (Esc stops)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="385" />
        <source>Try it</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="396" />
        <source>Added by name: recognised without example images.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>_DropArea</name>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="54" />
        <source>Drop an image here, paste one (Ctrl+V), or choose a file.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="55" />
        <source>Drop or paste any image to see how the classes rank.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>jobs</name>
    <message>
        <location filename="../../rmadapter_app/gui/jobs.py" line="35" />
        <source>training</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/jobs.py" line="36" />
        <location filename="../../rmadapter_app/gui/jobs.py" line="38" />
        <source>import weights</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/jobs.py" line="37" />
        <source>trying an image</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/jobs.py" line="39" />
        <source>labeling images</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/jobs.py" line="40" />
        <source>re-scoring labels</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/jobs.py" line="41" />
        <source>writing labeled files</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/jobs.py" line="42" />
        <source>undoing labeled files</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>parent</name>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="58" />
        <source>A job is running</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="59" />
        <source>“{0}” is still running. Stop it and quit?</source>
        <translation type="unfinished" />
    </message>
</context>
</TS>