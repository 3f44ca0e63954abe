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
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="44" />
        <source>&amp;Adapter file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="45" />
        <source>Label with a trained adapter (its classes are listed below)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="46" />
        <source>Class &amp;names only (zero-shot)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="47" />
        <source>Label with frozen CLIP from class names alone, nothing trained</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="52" />
        <source>No adapter chosen</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="53" />
        <source>The adapter file to label with</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="54" />
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="21" />
        <source>Choose…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="55" />
        <source>Choose an adapter file (.rmadapter.safetensors)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="59" />
        <source>e.g. cat, dog, bird</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="60" />
        <source>Class names separated by commas (at least two)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="62" />
        <source>optional, e.g. fox, empty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="63" />
        <source>More classes, recognised from their names alone. After a run, press Enter to re-score without reading the images again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="65" />
        <source>Classifier</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="74" />
        <source>Classes:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="75" />
        <source>Extra classes:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="18" />
        <source>Choose where the class folders go</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="19" />
        <source>Output folder: one subfolder per class, plus _uncertain. It must be outside the folders being labeled.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="22" />
        <source>Choose the output folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="23" />
        <source>&amp;Copy images</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="24" />
        <source>Copy images into class folders; the originals stay where they are</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="25" />
        <source>Mo&amp;ve images</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="26" />
        <source>Move images into class folders; Undo puts them back</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="27" />
        <source>Reports only</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="28" />
        <source>Write only the CSV/JSON reports; no image is copied or moved</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="33" />
        <source>Keep subfolders inside each class folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="34" />
        <source>Recreate each image's source subfolders below its class folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="36" />
        <source>Rename (name (1).jpg)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="37" />
        <source>Skip the image</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="38" />
        <source>What to do when a file of the same name is already in the class folder; nothing is ever overwritten</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="40" />
        <source>CSV report (labels.csv)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="42" />
        <source>Write a CSV with path, label, confidence, top classes and destination</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="43" />
        <source>JSON report (labels.json)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="44" />
        <source>Write the same report as JSON, with a summary</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="48" />
        <source>Images per batch through the model (larger is faster on a GPU)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="49" />
        <source>Output</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="54" />
        <source>Folder:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="60" />
        <source>Name clash:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/output_panel.py" line="63" />
        <source>Batch size:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="29" />
        <source>Images whose top confidence is below this go to the Uncertain folder. The counts update as you move it; nothing is written yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="36" />
        <source>Goes to</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/sources_panel.py" line="34" />
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="36" />
        <source>Images</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="41" />
        <source>Images per class folder at this threshold. Click a row to show only those images.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="49" />
        <source>&amp;Threshold:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="73" />
        <source>Every image with its label. Click a header to sort (e.g. by confidence); double-click a label (or press F2) to correct it before writing files.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="76" />
        <source>Show all images, one class, the uncertain ones, or unreadable files</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="77" />
        <source>&amp;Write files</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="78" />
        <source>Copy or move the images into class folders and write the reports (Ctrl+Shift+W)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="80" />
        <source>&amp;Undo last write</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="81" />
        <source>Put moved images back and remove the copies the last write made (Ctrl+Shift+Z)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="83" />
        <source>Clear corrections</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="84" />
        <source>Forget the labels you corrected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="86" />
        <source>Show:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/setup_panel.py" line="28" />
        <source>&amp;Run</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/setup_panel.py" line="29" />
        <source>Label the images (Ctrl+R). Images labeled before are read from the cache.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/setup_panel.py" line="30" />
        <source>&amp;Stop</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/setup_panel.py" line="31" />
        <source>Stop after the current batch; the results so far are kept (Esc)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/setup_panel.py" line="35" />
        <source>Images labeled so far</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/sources_panel.py" line="23" />
        <source>Folders and images to label. Drop them here, paste them (Ctrl+V), or use the buttons.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/sources_panel.py" line="25" />
        <source>Add &amp;folder…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/sources_panel.py" line="26" />
        <source>Add a folder of images (Ctrl+Shift+F)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/sources_panel.py" line="27" />
        <source>Add &amp;images…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/sources_panel.py" line="28" />
        <source>Add image files</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/sources_panel.py" line="29" />
        <source>Re&amp;move</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/sources_panel.py" line="30" />
        <source>Remove the selected folders or files from the list (Delete)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/sources_panel.py" line="31" />
        <source>Include subfolders</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/sources_panel.py" line="33" />
        <source>Also label images in folders inside the chosen folders</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="46" />
        <source>File: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="47" />
        <source>Backbone: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="48" />
        <source>Classes ({0}): {1}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="51" />
        <source>Accuracy: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="53" />
        <source>(frozen CLIP zero-shot {0})</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="56" />
        <source>Training was stopped early (partial adapter).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="57" />
        <source>Created: {0} by RMAdapter Studio {1}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="59" />
        <source>Optional description, e.g. “a small domestic cat” (used in the prompt)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="60" />
        <source>Words that help the model know what this class means; they are added to the class's text prompt.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="65" />
        <source>Add images…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="65" />
        <source>Choose image files to add to this class</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="66" />
        <source>Paste</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="66" />
        <source>Paste an image or image files from the clipboard (Ctrl+V)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="67" />
        <source>Remove images</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="68" />
        <source>Remove the selected images (Delete; Ctrl+Z brings them back)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="70" />
        <source>Move to</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="71" />
        <source>Move the selected images to another class</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="81" />
        <source>Stop</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="81" />
        <source>Stop adding; the images added so far are kept</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="125" />
        <source>No class selected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="126" />
        <source>Start by typing a class name on the left</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="127" />
        <source>Select a class on the left to see its images, or drop a folder with one subfolder per class anywhere on this page.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="133" />
        <source>No images yet: this class is recognised zero-shot from its name.
Drop images or folders here, paste them (Ctrl+V) or use Add images…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="139" />
        <source>{0} — zero-shot (no images yet)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="148" />
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
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="144" />
        <source>epoch</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="145" />
        <source>accuracy</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="147" />
        <source>Accuracy per epoch on the training and validation images; the dashed line is frozen CLIP before training (zero-shot).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="150" />
        <source>train</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="152" />
        <source>validation</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="155" />
        <source>zero-shot CLIP {value:.2f}</source>
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
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="122" />
        <source>Choose an adapter</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="157" />
        <source>No adapter: train one, open one, or use class names.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/classifier_panel.py" line="166" />
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
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="170" />
        <source>Checking and copying images: %v of %m</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="194" />
        <source>Remove</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="196" />
        <source>Move to</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="203" />
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
        <location filename="../../rmadapter_app/gui/label_view.py" line="162" />
        <source>Add a folder of images</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="168" />
        <source>Add images</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="179" />
        <source>The clipboard holds no files or folders.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="191" />
        <location filename="../../rmadapter_app/gui/label_view.py" line="339" />
        <source>Choose the output folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="235" />
        <source>Busy with “{0}”; try again when it has finished.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="245" />
        <source>Add a folder or images to label first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="249" />
        <source>Choose an adapter file, or type at least two class names.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="254" />
        <source>Preparing the classifier…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="255" />
        <source>Listing images…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="264" />
        <source>Re-scoring from the cache…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="272" />
        <source>Stopping after the current batch…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="277" />
        <source>Labeling on {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="303" />
        <source>Stopped.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="304" />
        <source>Label</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="336" />
        <source>Nothing to write yet: run labeling first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="345" />
        <source>Choose a CSV or JSON report, or copy or move the images.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="349" />
        <source>Move images?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="350" />
        <source>Move {0} images out of their folders into {1}?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="351" />
        <source>Undo last write puts every moved image back.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="364" />
        <source>Writing files…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="376" />
        <source>Some images were not written</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="377" />
        <source>{0} images could not be written; the others were.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="390" />
        <source>Undoing the last write…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="397" />
        <source>Undo</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label_view.py" line="397" />
        <source>Some files were left in place:</source>
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
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="55" />
        <source>step</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="56" />
        <source>loss</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="57" />
        <source>Training loss per step: the classification loss (ce), the consistency and reconstruction terms, and their weighted total.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="66" />
        <source>Log scale</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/loss_plot.py" line="67" />
        <source>Show the loss axis on a logarithmic scale.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="92" />
        <location filename="../../rmadapter_app/gui/main_window.py" line="346" />
        <source>RMAdapter Studio</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="98" />
        <source>Switch pages (Ctrl+1 … Ctrl+5)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="114" />
        <source>Device: checking…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="115" />
        <source>Where training and classifying run</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="148" />
        <source>&amp;File</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="149" />
        <source>&amp;New project…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="150" />
        <source>Create an empty project folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="151" />
        <source>&amp;Open project…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="152" />
        <source>Open a project folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="153" />
        <source>Open &amp;recent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="156" />
        <source>&amp;Import folder of class folders…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="157" />
        <source>Create one class per subfolder, with its images</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="158" />
        <source>Show project &amp;folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="159" />
        <source>Open the project folder in the file manager</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="161" />
        <source>&amp;Quit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="162" />
        <source>&amp;Edit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="163" />
        <location filename="../../rmadapter_app/gui/main_window.py" line="359" />
        <source>&amp;Undo</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="164" />
        <source>Add &amp;class</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="164" />
        <source>Type a new class name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="165" />
        <source>&amp;Paste images</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="166" />
        <source>Paste an image or image files into the selected class</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="167" />
        <source>&amp;Model</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="168" />
        <source>&amp;Train</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="168" />
        <source>Train on the project</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="169" />
        <source>&amp;Stop</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="169" />
        <source>Stop the running job; partial results are kept</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="171" />
        <source>&amp;Save adapter…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="172" />
        <source>&amp;Open adapter…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="173" />
        <source>&amp;Help</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="174" />
        <source>&amp;About RMAdapter Studio</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="175" />
        <source>Open &amp;log folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="193" />
        <location filename="../../rmadapter_app/gui/main_window.py" line="197" />
        <source>Could not open the project</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="198" />
        <source>{0} could not be opened: the project looks damaged ({1}).</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../../rmadapter_app/gui/main_window.py" line="203" />
        <source>%n image file(s) are missing from the project folder; see Problems.</source>
        <translation><numerusform>%n image file is missing from the project folder; see Problems.</numerusform><numerusform>%n image files are missing from the project folder; see Problems.</numerusform></translation>
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="214" />
        <location filename="../../rmadapter_app/gui/main_window.py" line="217" />
        <source>Could not reopen the last project: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="218" />
        <source>{0} looks damaged ({1})</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="228" />
        <source>New project</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="228" />
        <source>Project name:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="228" />
        <source>My classifier</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="234" />
        <source>Could not create the project</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="242" />
        <source>Open project folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="266" />
        <source>(no recent projects)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="299" />
        <source>That is not available in this build.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="313" />
        <location filename="../../rmadapter_app/gui/main_window.py" line="389" />
        <source>Stopping…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="325" />
        <source>About RMAdapter Studio</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="326" />
        <source>&lt;b&gt;RMAdapter Studio&lt;/b&gt; {0}&lt;br&gt;Build an image classifier from a few pictures per class: RMAdapter on a frozen CLIP, on your own computer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="340" />
        <source>Device: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="348" />
        <source>{0} — RMAdapter Studio</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="351" />
        <source>Project folder: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="359" />
        <source>&amp;Undo {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="365" />
        <source>Running: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="366" />
        <source>Running: </source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="377" />
        <source>Wait until “{0}” has finished (or stop it with Esc).</source>
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
        <location filename="../../rmadapter_app/gui/widgets/problems_panel.py" line="26" />
        <source>Clear</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/problems_panel.py" line="27" />
        <source>Empty this list (the files themselves are not touched)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/problems_panel.py" line="30" />
        <source>File</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/problems_panel.py" line="30" />
        <source>Problem</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/problems_panel.py" line="59" />
        <source>already in the project, in class “{0}”</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../../rmadapter_app/gui/widgets/problems_panel.py" line="72" />
        <source>Problems: %n file(s) not added or missing</source>
        <translation><numerusform>Problems: %n file not added or missing</numerusform><numerusform>Problems: %n files not added or missing</numerusform></translation>
    </message>
</context>
<context>
    <name>ProjectPage</name>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="160" />
        <source>Untitled</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="162" />
        <source>Could not create a project</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="178" />
        <source>Added class “{0}”. Drop images onto it, or keep it as a zero-shot class.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="200" />
        <source>Could not remove the class</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="202" />
        <source>Removed class “{0}” (Ctrl+Z brings it back).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="214" />
        <source>Could not remove the images</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../../rmadapter_app/gui/project_view.py" line="216" />
        <source>Removed %n image(s) (Ctrl+Z brings them back).</source>
        <translation><numerusform>Removed %n image (Ctrl+Z brings them back).</numerusform><numerusform>Removed %n images (Ctrl+Z brings them back).</numerusform></translation>
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="225" />
        <source>Nothing to undo.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="230" />
        <source>Could not undo</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="232" />
        <source>Undone: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="237" />
        <location filename="../../rmadapter_app/gui/project_view.py" line="283" />
        <source>Select or add a class first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="244" />
        <source>Folder with one subfolder per class</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="267" />
        <source>Add a class first, then drop images onto it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="269" />
        <source>dropped outside a class: drop it onto a class</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="280" />
        <source>The clipboard holds no image and no image files.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="287" />
        <source>The clipboard image could not be read.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="330" />
        <source>Stopped early; the images added so far are kept.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="338" />
        <source>Could not add the images</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="344" />
        <source>Images are still being added; wait a moment.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="358" />
        <source>Could not move the images</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../../rmadapter_app/gui/project_view.py" line="360" />
        <source>Moved %n image(s) to “{0}”.</source>
        <translation><numerusform>Moved %n image to “{0}”.</numerusform><numerusform>Moved %n images to “{0}”.</numerusform></translation>
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="398" />
        <source>missing from the project folder (class “{0}”)</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../../rmadapter_app/gui/project_view.py" line="322" />
        <source>Added %n image(s).</source>
        <translation><numerusform>Added %n image.</numerusform><numerusform>Added %n images.</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../rmadapter_app/gui/project_view.py" line="324" />
        <source>Created %n class(es).</source>
        <translation><numerusform>Created %n class.</numerusform><numerusform>Created %n classes.</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../rmadapter_app/gui/project_view.py" line="326" />
        <source>%n already in the project.</source>
        <translation><numerusform>%n already in the project.</numerusform><numerusform>%n already in the project.</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../rmadapter_app/gui/project_view.py" line="328" />
        <source>%n file(s) skipped: see Problems.</source>
        <translation><numerusform>%n file skipped: see Problems.</numerusform><numerusform>%n files skipped: see Problems.</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../rmadapter_app/gui/project/image_panel.py" line="138" />
        <source>{0} — %n image(s)</source>
        <translation><numerusform>{0} — %n image</numerusform><numerusform>{0} — %n images</numerusform></translation>
    </message>
</context>
<context>
    <name>ResultsPage</name>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="78" />
        <source>&amp;Save adapter…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="79" />
        <source>Save the adapter file in use to a place of your choice (Ctrl+S).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="81" />
        <source>&amp;Load adapter…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="82" />
        <source>Open an adapter file; its header is shown before it is used.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="84" />
        <source>Adapter in use</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="97" />
        <source>Class</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="97" />
        <source>Accuracy</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="97" />
        <source>Validation images</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="100" />
        <source>How often each class was recognised among its validation images.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="103" />
        <location filename="../../rmadapter_app/gui/results_view.py" line="136" />
        <source>Click a cell of the confusion matrix to see its images.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="106" />
        <source>Validation images the adapter got wrong, with its top guesses.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="112" />
        <source>Selected cell</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="113" />
        <location filename="../../rmadapter_app/gui/results_view.py" line="144" />
        <source>Misclassified</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="139" />
        <source>No training results yet: train on the Train page, or load an adapter file.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="161" />
        <source>Misclassified ({0})</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="167" />
        <source>Accuracy on {0} validation images: {1}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="169" />
        <source>No validation images: accuracy was not measured.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="172" />
        <source>Frozen CLIP zero-shot: {0} → adapted: {1} ({2:+.1f} points)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="175" />
        <source>Validation: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="176" />
        <source>Trained on {0} images of {1} classes: {2} steps in {3} s on {4}.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="179" />
        <source>Stopped early after {0} of {1} steps: these numbers describe the partial adapter.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../../rmadapter_app/gui/results_view.py" line="182" />
        <source>%n unreadable image(s) were skipped.</source>
        <translation><numerusform>%n unreadable image was skipped.</numerusform><numerusform>%n unreadable images were skipped.</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../rmadapter_app/gui/results_view.py" line="192" />
        <source>%n image(s) of “{0}” predicted as “{1}”</source>
        <translation><numerusform>%n image of “{0}” predicted as “{1}”</numerusform><numerusform>%n images of “{0}” predicted as “{1}”</numerusform></translation>
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="204" />
        <source>None yet. Training saves one automatically; or load an adapter file.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="226" />
        <location filename="../../rmadapter_app/gui/results_view.py" line="230" />
        <location filename="../../rmadapter_app/gui/results_view.py" line="244" />
        <source>Save adapter</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="227" />
        <source>There is no adapter to save yet: train one first, or load one.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="237" />
        <source>The adapter is already saved as {0}.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="245" />
        <source>The adapter could not be saved: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="248" />
        <source>Adapter saved as {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="260" />
        <source>the backbone it was trained on is no longer loaded; train again</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="269" />
        <source>Load adapter</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="277" />
        <source>Cannot use this adapter file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="282" />
        <source>It was trained on {0}; the current backbone choice is {1}. Classifying with it uses {0}.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="284" />
        <source>Load this adapter?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/results_view.py" line="287" />
        <source>Using adapter {0}</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ReviewPanel</name>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="121" />
        <source>{0:.0%} confidence</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="141" />
        <source>Uncertain (below threshold)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="143" />
        <source>Unreadable (skipped)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="163" />
        <source>All images</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="166" />
        <source>Uncertain</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/label/review_panel.py" line="167" />
        <source>Unreadable</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>RunMonitor</name>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="29" />
        <source>Progress of the current phase.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="31" />
        <source>Speed, and time left for the whole run (cross-validation included).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="37" />
        <source>What training is doing, step by step.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="66" />
        <source>Starting…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="97" />
        <source>, validation {0:.1%}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="98" />
        <source>fold {0}, </source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="99" />
        <source>{0}epoch {1}/{2}: train {3:.1%}{4}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="103" />
        <source>Frozen CLIP before training (zero-shot): {0:.1%} on {1} images.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="106" />
        <source>Cross-validation fold {0}/{1}: {2:.1%} on {3} held-out images.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="116" />
        <source>Warning: </source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="122" />
        <source>Downloading {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="126" />
        <source>{0:.0f} of {1:.0f} MB (Stop cancels)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="129" />
        <source>{0:.0f} MB (Stop cancels)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="146" />
        <source>all images</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="146" />
        <source>fold {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="147" />
        <source>Training ({0}): step {1} of {2}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/run_monitor.py" line="153" />
        <source>{0:.1f} steps/s · about {1} left</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>SetupPanel</name>
    <message>
        <location filename="../../rmadapter_app/gui/label/setup_panel.py" line="79" />
        <source>Downloading {0}…</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>TrainPage</name>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="74" />
        <location filename="../../rmadapter_app/gui/train_view.py" line="223" />
        <location filename="../../rmadapter_app/gui/train_view.py" line="228" />
        <location filename="../../rmadapter_app/gui/train_view.py" line="243" />
        <source>Train</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="80" />
        <source>Train an adapter on this project's images (Ctrl+Return).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="82" />
        <source>Stop</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="83" />
        <source>Stop after the current step and keep what was trained (Esc).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="87" />
        <source>Device: chosen when training starts.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="94" />
        <source>Advanced</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="98" />
        <source>Backbone, epochs, shots, learning rate, loss weights, seed, device.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="195" />
        <source>Open or create a project to train.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="201" />
        <source>{0} classes, {1} images.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="207" />
        <source>Recognised from the name only (zero-shot): {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="209" />
        <source>Add at least two classes to train.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="211" />
        <source>Add images to at least one class to train.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="219" />
        <source>Busy: {0} is running.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="223" />
        <source>Open or create a project first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="229" />
        <source>Training needs at least two classes and some images. Add classes and drop images on them; a class without images is still recognised from its name.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="235" />
        <source>Training settings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="249" />
        <source>Training {0} classes on {1} images with {2}.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="260" />
        <source>Stopping after this step…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="268" />
        <source>The {0} weights are not on this computer yet. Download them now (several hundred MB), or import a weights file you already have.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="283" />
        <source>Import weights for {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="288" />
        <source>Checking and importing {0}…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="289" />
        <source>Importing weights…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="293" />
        <source>Weights imported to {0}.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="298" />
        <source>Import weights</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="308" />
        <source>Training on: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="311" />
        <source>Device: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="328" />
        <source>Stopped after {0} of {1} steps. The partial adapter was kept.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="331" />
        <source>Done in {0}.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="333" />
        <source>Validation accuracy {0:.1%}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="335" />
        <source>(zero-shot CLIP {0:.1%}).</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../../rmadapter_app/gui/train_view.py" line="337" />
        <source>%n unreadable image(s) were skipped (listed in the log below).</source>
        <translation><numerusform>%n unreadable image was skipped (listed in the log below).</numerusform><numerusform>%n unreadable images were skipped (listed in the log below).</numerusform></translation>
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="341" />
        <source>Adapter saved as {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="343" />
        <source>Saving the adapter</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="344" />
        <source>Training worked, but the adapter could not be saved automatically: {0}
Use Save adapter on the Results page to save it elsewhere.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="350" />
        <source>Stopped before anything was trained; nothing to keep.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="354" />
        <source>Training failed: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/train_view.py" line="355" />
        <source>Training failed</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>TrainSettings</name>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="31" />
        <source>recommended with a GPU</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="32" />
        <source>faster: recommended on a CPU</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="33" />
        <source>most accurate, needs a strong GPU</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="56" />
        <source>The frozen CLIP model the adapter is trained on. ViT-B-16 is the default with a GPU; ViT-B-32 is about four times faster on a CPU.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="61" />
        <source>Auto</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="62" />
        <source>Passes over the images. Auto: 5, raised so that at least 100 steps run.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="63" />
        <source>All</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="64" />
        <source>Images per class used for training (All: every image).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="69" />
        <source>SGD learning rate (default 0.0015).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="70" />
        <source>Random seed: the same seed gives the same run.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="72" />
        <source>Automatic (GPU if available)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="72" />
        <source>CPU</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="73" />
        <source>NVIDIA GPU (CUDA)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="73" />
        <source>Apple GPU (MPS)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="75" />
        <source>Where training runs.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="76" />
        <source>Augment images (random crop and flip)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="77" />
        <source>Helps with varied photos; makes training slower.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="79" />
        <source>Automatic</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="79" />
        <source>Hold out 20%</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="80" />
        <source>Cross-validation</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="80" />
        <source>None</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="82" />
        <source>How accuracy is measured. Automatic holds out images when there are enough, and cross-validates otherwise.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="86" />
        <source>&amp;Backbone:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="88" />
        <source>&amp;Epochs:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="89" />
        <source>S&amp;hots per class:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="90" />
        <source>&amp;Learning rate:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="91" />
        <source>&amp;Validation:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="92" />
        <source>See&amp;d:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="93" />
        <source>De&amp;vice:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="97" />
        <source>RMAdapter (all losses)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="97" />
        <source>MMA (classification only)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="98" />
        <source>MMA + consistency</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="98" />
        <source>MMA + consistency + text recon.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="99" />
        <source>MMA + consistency + image recon.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="102" />
        <source>Presets of the loss switches (the paper's ablation ladder).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="104" />
        <source>Consistency</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="105" />
        <source>Keep the adapted features close to frozen CLIP's (keeps its general knowledge).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="107" />
        <source>Image reconstruction</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="108" />
        <source>Use the image-tower reconstruction loss.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="109" />
        <source>Text reconstruction</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="110" />
        <source>Use the text-tower reconstruction loss.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="111" />
        <source>Weight of the L1 distance between adapted and frozen image features.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="112" />
        <source>image </source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="113" />
        <source>Weight of the L1 distance between adapted and frozen text features.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="114" />
        <source>text </source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="115" />
        <source>Weight of the image-tower reconstruction loss.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="116" />
        <source>Weight of the text-tower reconstruction loss.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="117" />
        <source>Loss terms and weights</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="119" />
        <source>Preset:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="125" />
        <source>Restore &amp;defaults</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="126" />
        <source>Put every advanced setting back to its default (the backbone stays).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="254" />
        <source>Local weights file…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="256" />
        <source>A checkpoint file on this computer for the architecture above.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="258" />
        <source>Local model config…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="265" />
        <source>A GPU is available: ViT-B-16 is a good default.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="267" />
        <source>No GPU found: ViT-B-32 (openai) trains about four times faster than ViT-B-16 on a CPU, a little less accurately.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="275" />
        <source>Choose a CLIP weights file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/widgets/train_settings.py" line="280" />
        <source>Choose an open_clip model config</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>TryPage</name>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="149" />
        <source>&amp;Choose image…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="150" />
        <source>Pick an image file to classify.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="158" />
        <source>Class</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="158" />
        <source>Confidence</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="163" />
        <source>Every class ranked by the classifier's confidence for this image.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="165" />
        <source>Add classes by name, e.g. cat, dog</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="166" />
        <source>Classes typed here are recognised from their names alone and ranked with the others (separate names with commas).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="169" />
        <source>&amp;Add</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="170" />
        <source>Add the typed class names (Enter).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="172" />
        <source>C&amp;lear added</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="173" />
        <source>Forget the classes added by name.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="211" />
        <source>No classes yet: add classes to the project, train, or load an adapter.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="213" />
        <source>Classifier: adapter {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="215" />
        <source>Classifier: the adapter from the last training run</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="217" />
        <source>Classifier: frozen CLIP zero-shot on the project's class names (nothing trained yet)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="219" />
        <source>Added by name: {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="236" />
        <source>{0} is no longer on disk (was its class removed?). Drop an image to rank it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="242" />
        <source>The classifier changed; drop the image again to re-rank it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="252" />
        <source>Choose an image</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="271" />
        <source>That is not an image. Drop or paste a picture file.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="354" />
        <source>Nothing to classify with yet: add classes to the project, train, or load an adapter.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="358" />
        <source>Busy with “{0}”; try again when it has finished.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="380" />
        <source>Classifying…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="381" />
        <source>Preparing the classifier…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="388" />
        <source>The {0} weights are not on this computer yet. Download them now (several hundred MB), or import a weights file you already have.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="393" />
        <source>Import weights for {0}</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="396" />
        <source>Checking and importing {0}…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="400" />
        <source>The backbone weights are needed to classify.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="404" />
        <source>Weights imported.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="411" />
        <source>Downloading {0}: {1:.0f}{2} MB (Esc stops)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="426" />
        <source>Try it</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="437" />
        <source>Added by name: recognised without example images.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>_DropArea</name>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="111" />
        <source>Drop an image here, paste one (Ctrl+V), or choose a file.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/try_view.py" line="112" />
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
        <location filename="../../rmadapter_app/gui/main_window.py" line="57" />
        <source>A job is running</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/main_window.py" line="58" />
        <source>“{0}” is still running. Stop it and quit?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../rmadapter_app/gui/project_view.py" line="51" />
        <source>Add images</source>
        <translation type="unfinished" />
    </message>
</context>
</TS>