"""Voice benchmark: for each voice, characters a minute, first-audio time and real-time factor, on the guides' short
answers (the 60-80-character ones a citizen hears most), plus the cached repeat and the memory with the voice loaded.

    python -m bench.voice [--answers 12] [--online]     # as a module: run as bench/voice.py, its own name would
                                                        # hide the voice package

For each voice (fastspeech2-baker, espeak-ng; gtts only with --online, which needs a route to Google):
- pace: Chinese characters (and digits, letters) a minute, from the duration of the real audio file as soundfile
  reads it, pauses included; median over the answers, and the slow setting's;
- first audio: from the request to the first clause's samples (the neural voice speaks clause by clause) and to
  the whole MP3 file written in a fresh cache (what the hotline and Telegram wait for), and to the first MP3
  bytes read-aloud streams (Speaker.stream_now);
- RTF: synthesis time / audio duration (median);
- repeat: the same answer again, from the cache (median of the answers).
Printed as medians with the range; one run, on whatever else the machine is doing (say so when quoting).
"""

from __future__ import annotations

import argparse
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import soundfile

from knowledge.loader import load_knowledge
from voice.speech.espeak import EspeakVoice
from voice.speech.neural import NeuralVoice
from voice.speech.speaker import Speaker


def characters(text: str) -> int:
    return len(re.findall(r"[\u4e00-\u9fff0-9A-Za-z]", text))


def answers(count: int) -> list[str]:
    """The guides' short answers of 60-80 characters, as many as asked."""
    said = [g.short_answer for g in load_knowledge().guides.values()]
    typical = [text for text in said if 60 <= len(text) <= 80] or said
    return typical[:count]


def figures(values: list[float], unit: str, digits: int = 0) -> str:
    return (f"median {statistics.median(values):.{digits}f}{unit} "
            f"(range {min(values):.{digits}f}-{max(values):.{digits}f})")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_voice(name: str, speaker: Speaker, texts: list[str], first_clause: NeuralVoice | None) -> None:
    paces, slow_paces, first, first_bytes, whole, rtf, repeat = [], [], [], [], [], [], []
    for text in texts:
        if first_clause is not None:
            started = time.perf_counter()
            next(first_clause.stream(text))
            first.append(time.perf_counter() - started)
            with tempfile.TemporaryDirectory() as fresh:
                started = time.perf_counter()
                streamed = Speaker(Path(fresh), neural=first_clause).stream_now(text)
                assert streamed is not None
                chunks = iter(streamed.chunks)
                next(chunks)
                first_bytes.append(time.perf_counter() - started)
                for _ in chunks:
                    pass
        started = time.perf_counter()
        rendered = speaker.speak(text, "mp3")
        elapsed = time.perf_counter() - started
        assert rendered.voice == name, (rendered.voice, name)
        duration = soundfile.info(rendered.path).duration
        whole.append(elapsed)
        rtf.append(elapsed / duration)
        paces.append(characters(text) / duration * 60)
        started = time.perf_counter()
        speaker.speak(text, "mp3")
        repeat.append(time.perf_counter() - started)
        slow = speaker.speak(text, "mp3", slow=True)
        slow_paces.append(characters(text) / soundfile.info(slow.path).duration * 60)
    print(f"{name}:")
    print(f"  pace: {figures(paces, ' chars/min')}; slow setting {figures(slow_paces, ' chars/min')}")
    if first:
        print(f"  first audio (first clause): {figures([s * 1000 for s in first], ' ms')}")
        print(f"  read-aloud's first MP3 bytes (streamed, fresh cache): "
              f"{figures([s * 1000 for s in first_bytes], ' ms')}")
    print(f"  whole answer as MP3, fresh cache: {figures(whole, ' s', 2)}; RTF {figures(rtf, '', 3)}")
    print(f"  repeat from the cache: {figures([s * 1000 for s in repeat], ' ms', 2)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=12)
    parser.add_argument("--online", action="store_true", help="also gTTS (needs the internet)")
    args = parser.parse_args()
    texts = answers(args.answers)
    print(f"{len(texts)} answers, {statistics.median(len(t) for t in texts):.0f} characters (median); "
          f"RSS at start {rss_mb():.0f} MB")
    with tempfile.TemporaryDirectory() as scratch:
        neural = NeuralVoice()
        started = time.perf_counter()
        neural.load()
        print(f"neural model load: {time.perf_counter() - started:.2f} s; peak RSS with it loaded {rss_mb():.0f} MB")
        broken = EspeakVoice("/nonexistent/libespeak-ng.so")  # so a result is the neural voice's own
        bench_voice("fastspeech2-baker", Speaker(Path(scratch) / "neural", neural=neural, espeak=broken), texts,
                    neural)
        bench_voice("espeak-ng", Speaker(Path(scratch) / "espeak", use_neural=False), texts, None)
        if args.online:
            bench_voice("gtts", Speaker(Path(scratch) / "gtts", online=True), texts, None)
        else:
            print("gtts: skipped (--online to measure; this machine may have no route to Google)")
    print(f"peak RSS of this process: {rss_mb():.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
