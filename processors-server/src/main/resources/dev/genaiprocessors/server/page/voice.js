// The voice page: microphone -> WebSocket (16 kHz PCM in binary frames, JSON control in text frames),
// the server's PCM -> speaker at the rate it announces, flushed when the server says "interrupted".
// The wire format is documented in the project's README ("Serving browsers and phones").
'use strict';

const CAPTURE_RATE = 16000;
const $ = (id) => document.getElementById(id);
const ui = {
  start: $('start'), interrupt: $('interrupt'), state: $('state'), log: $('log'),
  text: $('text'), send: $('send'), typed: $('typed'), conversation: $('conversation'),
  sentMs: $('sent-ms'), playedMs: $('played-ms'), outputRate: $('output-rate'),
  interruptions: $('interruptions'), flushedMs: $('flushed-ms'), connection: $('connection'),
};

let session = null;

function setState(state) {
  ui.state.textContent = state;
  ui.state.dataset.state = state;
}

function addLine(role, text, final) {
  // One line per turn and side: partial transcripts grow it, the final one settles it.
  let li = role === 'user' ? session && session.userLine : session && session.assistantLine;
  if (!li) {
    li = document.createElement('li');
    li.className = role;
    li.dataset.role = role;
    ui.log.appendChild(li);
  }
  li.textContent = (role === 'user' ? 'You: ' : 'Assistant: ') + text;
  li.classList.toggle('partial', !final);
  if (session) {
    if (role === 'user') session.userLine = final ? null : li;
    else session.assistantLine = final ? null : li;
  }
}

function addEvent(text) {
  const li = document.createElement('li');
  li.className = 'event';
  li.textContent = text;
  ui.log.appendChild(li);
}

async function start() {
  ui.start.disabled = true;
  const s = {
    ws: null, mic: null, captureCtx: null, playCtx: null, player: null, outputRate: 0,
    sentSamples: 0, playedBefore: 0, playedNow: 0, flushedMs: 0, interruptions: 0,
    userLine: null, assistantLine: null, assistantText: '', pendingAudio: [],
  };
  session = s;
  try {
    s.mic = await navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true },
    });
    s.captureCtx = new AudioContext({ sampleRate: CAPTURE_RATE });
    await s.captureCtx.audioWorklet.addModule('worklet.js');
    const source = s.captureCtx.createMediaStreamSource(s.mic);
    const capture = new AudioWorkletNode(s.captureCtx, 'capture', {
      processorOptions: { blockSamples: CAPTURE_RATE / 50 },
    });
    source.connect(capture);
    // A node renders only when it leads to the destination; the capture node outputs silence.
    capture.connect(s.captureCtx.destination);
    if (s.captureCtx.state !== 'running') await s.captureCtx.resume();
    const token = new URLSearchParams(location.search).get('token');
    const url = new URL('ws', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    if (token) url.searchParams.set('token', token);
    s.ws = new WebSocket(url);
    s.ws.binaryType = 'arraybuffer';
    s.ws.onopen = () => {
      ui.connection.textContent = 'open';
      s.ws.send(JSON.stringify({ type: 'start', sampleRate: CAPTURE_RATE }));
    };
    s.ws.onmessage = (e) => onMessage(s, e.data);
    s.ws.onclose = (e) => {
      ui.connection.textContent = 'closed ' + e.code + (e.reason ? ' (' + e.reason + ')' : '');
      if (session === s) {
        stop(false);
      } else {
        if (s.playCtx) s.playCtx.close();
        setState('disconnected');
      }
    };
    capture.port.onmessage = (e) => {
      if (s.ready && s.ws.readyState === WebSocket.OPEN) {
        // Bounded: past 1 s of unsent audio the socket is stalled, and stale audio is dropped here.
        if (s.ws.bufferedAmount < CAPTURE_RATE * 2) {
          s.ws.send(e.data);
          s.sentSamples += e.data.byteLength / 2;
          ui.sentMs.textContent = Math.round(s.sentSamples * 1000 / CAPTURE_RATE);
        }
      }
    };
    ui.start.textContent = 'Stop';
    ui.start.disabled = false;
    ui.interrupt.disabled = false;
    ui.text.disabled = false;
    ui.send.disabled = false;
    setState('connecting');
  } catch (err) {
    addEvent('Could not start: ' + err);
    stop(true);
  }
}

async function playerFor(s, rate) {
  if (s.player && s.outputRate === rate) return s.player;
  if (s.playCtx) {
    s.playedBefore += s.playedNow;
    s.playedNow = 0;
    await s.playCtx.close();
  }
  s.outputRate = rate;
  ui.outputRate.textContent = rate;
  s.playCtx = new AudioContext({ sampleRate: rate });
  await s.playCtx.audioWorklet.addModule('worklet.js');
  s.player = new AudioWorkletNode(s.playCtx, 'playback', { outputChannelCount: [1] });
  s.player.connect(s.playCtx.destination);
  if (s.playCtx.state !== 'running') await s.playCtx.resume();
  s.player.port.onmessage = (e) => {
    s.playedNow = e.data.played;
    ui.playedMs.textContent = Math.round((s.playedBefore + s.playedNow) * 1000 / rate);
    if (e.data.flushed !== undefined) {
      s.flushedMs += e.data.flushed * 1000 / rate;
      ui.flushedMs.textContent = Math.round(s.flushedMs);
    }
  };
  return s.player;
}

function onMessage(s, data) {
  if (data instanceof ArrayBuffer) {
    if (s.player && s.playerRate === s.outputRate) s.player.port.postMessage(data, [data]);
    else s.pendingAudio.push(data);
    return;
  }
  const m = JSON.parse(data);
  switch (m.type) {
    case 'ready':
      s.ready = true;
      ui.conversation.textContent = m.conversation;
      setState('idle');
      break;
    case 'audio_format':
      s.playerRate = 0;
      playerFor(s, m.sampleRate).then((player) => {
        s.playerRate = m.sampleRate;
        for (const pcm of s.pendingAudio) player.port.postMessage(pcm, [pcm]);
        s.pendingAudio = [];
      });
      break;
    case 'transcript':
      if (m.role === 'assistant') {
        // Assistant transcripts arrive as deltas; the final one holds the whole text.
        s.assistantText = m.final ? m.text : s.assistantText + m.text;
        addLine('assistant', s.assistantText, m.final);
        if (m.final) s.assistantText = '';
      } else {
        addLine('user', m.text, m.final);
      }
      break;
    case 'text':
      addLine('assistant', m.text, true);
      break;
    case 'state':
      setState(m.state);
      break;
    case 'interrupted':
      // The answer was cut: drop every sample not played yet.
      s.pendingAudio = [];
      if (s.player) s.player.port.postMessage({ flush: true });
      s.interruptions++;
      ui.interruptions.textContent = s.interruptions;
      if (s.assistantLine) {
        s.assistantLine.textContent += ' [interrupted]';
        s.assistantLine.classList.remove('partial');
      }
      s.assistantLine = null;
      s.assistantText = '';
      addEvent('Interrupted');
      break;
    case 'turn_complete':
      s.assistantLine = null;
      s.assistantText = '';
      break;
    case 'status':
      addEvent(m.text);
      break;
    case 'error':
      addEvent('Error ' + m.code + ': ' + m.message);
      break;
  }
}

function stop(sendStop) {
  const s = session;
  if (!s) return;
  session = null;
  if (sendStop && s.ws && s.ws.readyState === WebSocket.OPEN) {
    s.ws.send(JSON.stringify({ type: 'stop' }));
  }
  if (s.mic) s.mic.getTracks().forEach((t) => t.stop());
  if (s.captureCtx) s.captureCtx.close();
  // The reply may still be playing: its context closes with the connection.
  if (!sendStop && s.playCtx) s.playCtx.close();
  ui.start.textContent = 'Start';
  ui.start.disabled = false;
  ui.interrupt.disabled = true;
  ui.text.disabled = true;
  ui.send.disabled = true;
  if (!sendStop) setState('disconnected');
}

ui.start.onclick = () => (session ? stop(true) : start());
ui.interrupt.onclick = () => {
  if (session && session.ws.readyState === WebSocket.OPEN) {
    session.ws.send(JSON.stringify({ type: 'interrupt' }));
  }
};
ui.typed.onsubmit = (e) => {
  e.preventDefault();
  const text = ui.text.value.trim();
  if (text && session && session.ws.readyState === WebSocket.OPEN) {
    session.ws.send(JSON.stringify({ type: 'text', text }));
    addLine('user', text, true);
    ui.text.value = '';
  }
};
