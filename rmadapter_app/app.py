"""Start the desktop app: ``main(argv) -> int`` (QApplication, theme, translations, logging, window)."""
from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path

logger = logging.getLogger("rmadapter_app")

APP_NAME = "RMAdapter Studio"
_translators: list = []


def _dark_palette():
    """A dark Fusion palette (used when the OS asks for a dark colour scheme)."""
    from PySide6.QtGui import QColor, QPalette
    p = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    window, base, text = QColor(45, 45, 48), QColor(30, 30, 32), QColor(230, 230, 230)
    for r, c in [(role.Window, window), (role.WindowText, text), (role.Base, base),
                 (role.AlternateBase, QColor(40, 40, 43)), (role.ToolTipBase, QColor(60, 60, 64)),
                 (role.ToolTipText, text), (role.Text, text), (role.Button, QColor(55, 55, 58)),
                 (role.ButtonText, text), (role.BrightText, QColor(255, 90, 90)), (role.Link, QColor(90, 160, 255)),
                 (role.Highlight, QColor(42, 110, 200)), (role.HighlightedText, QColor(255, 255, 255)),
                 (role.PlaceholderText, QColor(150, 150, 150)), (role.Light, QColor(75, 75, 78)),
                 (role.Midlight, QColor(62, 62, 65)), (role.Mid, QColor(50, 50, 52)), (role.Dark, QColor(25, 25, 26)),
                 (role.Shadow, QColor(0, 0, 0))]:
        p.setColor(r, c)
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(group.Disabled, r, QColor(120, 120, 120))
    return p


def apply_theme(app) -> None:
    """Fusion style with the palette of the OS colour scheme (dark or light), re-applied when it changes."""
    from PySide6.QtCore import Qt
    app.setStyle("Fusion")
    scheme = app.styleHints().colorScheme()
    app.setPalette(_dark_palette() if scheme == Qt.ColorScheme.Dark else app.style().standardPalette())


def _on_color_scheme_changed(_scheme) -> None:
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance()
    if app is not None:
        apply_theme(app)


def i18n_dirs() -> list[Path]:
    here = Path(__file__).resolve().parent
    return [here / "assets" / "i18n", here.parent / "resources" / "i18n"]


def install_translators(app) -> list:
    """Install Qt's own and the app's translations for the system locale when they exist."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
    installed = []
    locale = QLocale.system()
    qt_tr = QTranslator(app)
    if qt_tr.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_tr)
        installed.append(qt_tr)
    for folder in i18n_dirs():                  # English plural forms ("1 image", "2 images") first
        base = QTranslator(app)
        if (folder / "rmadapter_en.qm").is_file() and base.load(str(folder / "rmadapter_en.qm")):
            app.installTranslator(base)
            installed.append(base)
            break
    for folder in i18n_dirs():                  # then the user's language, which takes precedence
        tr = QTranslator(app)
        if folder.is_dir() and tr.load(locale, "rmadapter", "_", str(folder)):
            app.installTranslator(tr)
            installed.append(tr)
            logger.info("translation loaded: %s", tr.filePath())
            break
    return installed


def _excepthook(exc_type, exc, tb) -> None:
    """Log an exception that escaped a slot and tell the user in plain words."""
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    logger.error("unexpected error:\n%s", details)
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    try:
        from PySide6.QtCore import QCoreApplication
        from PySide6.QtWidgets import QApplication

        from rmadapter_app.core.errors import RMAdapterError
        from rmadapter_app.gui.errors import show_error
        if QApplication.instance() is None:
            return
        tr = QCoreApplication.translate
        message = str(exc) if isinstance(exc, RMAdapterError) else tr(
            "app", "Something went wrong ({0}). Your project is saved; you can carry on.").format(exc_type.__name__)
        show_error(QApplication.activeWindow(), tr("app", "Unexpected problem"), message, details)
    except Exception:   # never raise from the hook itself
        logger.exception("the error dialog failed")


def main(argv: list[str] | None = None) -> int:
    """Run the desktop app; a project folder may be given as the first argument."""
    from rmadapter_app.platform_check import startup_problem

    problem = startup_problem()
    if problem is not None:                  # say what to install instead of letting Qt abort
        print(problem, file=sys.stderr)
        return 1
    from PySide6.QtWidgets import QApplication

    argv = list(sys.argv if argv is None else argv)
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("rmadapter-studio")      # matches resources/rmadapter-studio.desktop
    from rmadapter_app import __version__
    app.setApplicationVersion(__version__)
    apply_theme(app)
    app.styleHints().colorSchemeChanged.connect(_on_color_scheme_changed)
    from rmadapter_app.gui.widgets import wheel_guard
    wheel_guard.install(app)                       # the wheel scrolls pages, never an unfocused setting
    from rmadapter_app.gui.gc_guard import collect_in_gui_thread
    collect_in_gui_thread()                        # never collect Qt objects on a worker thread (deadlock)
    from rmadapter_app.gui.backbone_probe import finish_before_exit
    app.aboutToQuit.connect(finish_before_exit)    # no probe thread inside torch at exit (the C++ abort)
    _translators[:] = install_translators(app)     # keep them alive

    from rmadapter_app.gui.errors import setup_logging
    log_path = setup_logging()
    logger.info("RMAdapter Studio %s starting; log: %s", __version__, log_path)
    sys.excepthook = _excepthook

    from rmadapter_app.gui.main_window import MainWindow, window_icon
    app.setWindowIcon(window_icon())
    folder = next((Path(a) for a in argv[1:] if not a.startswith("-")), None)
    window = MainWindow(restore_last=folder is None)
    if folder is not None:
        window.open_project(folder)
    window.show()
    code = app.exec()
    del window                                     # destroyed whole now, not by the exit-time collector
    from rmadapter_app.gui.gc_guard import collect_safely
    collect_safely()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
