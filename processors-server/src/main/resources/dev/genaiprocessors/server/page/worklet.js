// AudioWorklet processors of the voice page. Loaded with audioWorklet.addModule('worklet.js').

// Microphone: the context runs at the capture rate (16 kHz); sends blocks of 16-bit PCM of
// processorOptions.blockSamples samples (20 ms), the channels mixed down to mono.
class CaptureProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.size = options.processorOptions.blockSamples;
    this.block = new Int16Array(this.size);
    this.filled = 0;
  }
  process(inputs) {
    const channels = inputs[0] || [];
    if (channels.length > 0) {
      const n = channels[0].length;
      for (let i = 0; i < n; i++) {
        let sum = 0;
        for (let c = 0; c < channels.length; c++) sum += channels[c][i];
        const s = Math.max(-1, Math.min(1, sum / channels.length));
        this.block[this.filled++] = s < 0 ? s * 0x8000 : s * 0x7fff;
        if (this.filled === this.size) {
          // The buffer is handed over (transferred): this.block is detached afterwards.
          this.port.postMessage(this.block.buffer, [this.block.buffer]);
          this.block = new Int16Array(this.size);
          this.filled = 0;
        }
      }
    }
    return true;
  }
}

// Speaker: the context runs at the rate the server announced; plays queued 16-bit PCM in order.
// Messages in: an ArrayBuffer of PCM to queue, or {flush: true} to drop everything queued.
// Messages out: {played: samples} about every 100 ms, {flushed: samples} after a flush.
class PlaybackProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.queue = [];      // Float32Arrays not yet played, oldest first
    this.offset = 0;      // samples of queue[0] already played
    this.played = 0;      // samples played since the start
    this.reported = 0;
    this.port.onmessage = (e) => {
      if (e.data instanceof ArrayBuffer) {
        const pcm = new Int16Array(e.data);
        const f = new Float32Array(pcm.length);
        for (let i = 0; i < pcm.length; i++) f[i] = pcm[i] / 0x8000;
        this.queue.push(f);
      } else if (e.data && e.data.flush) {
        let dropped = 0;
        for (const q of this.queue) dropped += q.length;
        dropped -= this.offset;
        this.queue = [];
        this.offset = 0;
        this.port.postMessage({ flushed: dropped, played: this.played });
      }
    };
  }
  process(inputs, outputs) {
    const out = outputs[0][0];
    let i = 0;
    while (i < out.length && this.queue.length > 0) {
      const head = this.queue[0];
      const n = Math.min(out.length - i, head.length - this.offset);
      out.set(head.subarray(this.offset, this.offset + n), i);
      i += n;
      this.offset += n;
      this.played += n;
      if (this.offset === head.length) {
        this.queue.shift();
        this.offset = 0;
      }
    }
    out.fill(0, i);
    if (this.played - this.reported >= sampleRate / 10 || (i < out.length && this.played !== this.reported)) {
      this.reported = this.played;
      this.port.postMessage({ played: this.played });
    }
    return true;
  }
}

registerProcessor('capture', CaptureProcessor);
registerProcessor('playback', PlaybackProcessor);
