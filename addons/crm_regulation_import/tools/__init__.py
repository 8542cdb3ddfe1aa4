from . import presets, rows, sheet, text, values
