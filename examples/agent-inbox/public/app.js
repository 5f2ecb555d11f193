// The agent inbox page: plain DOM, one Socket.IO connection. Text from customers is
// only ever set with textContent.
'use strict'
;(() => {
  const $ = (id) => document.getElementById(id)
  const socket = io()
  let selected = null

  function el(tag, className, text) {
    const node = document.createElement(tag)
    if (className) node.className = className
    if (text !== undefined) node.textContent = text
    return node
  }

  function badge(kind, text, extra) {
    const b = el('span', `badge ${kind}${extra ? ` ${extra}` : ''}`, text)
    b.dataset.badge = kind
    return b
  }

  function renderList(items) {
    const list = $('conversations')
    list.replaceChildren(
      ...items.map((c) => {
        const li = el('li')
        li.dataset.conversation = c.id
        if (c.id === selected) li.classList.add('selected')
        li.append(el('div', 'name', c.name), el('div', 'preview', c.preview))
        const badges = el('div', 'badges')
        if (c.grade) badges.append(badge('grade', c.grade.toUpperCase(), `grade-${c.grade}`))
        if (c.intent) badges.append(badge('intent', c.intent.replace(/_/g, ' ')))
        if (c.flag) badges.append(badge('flag', c.flag.replace(/_/g, ' ')))
        li.append(badges)
        li.addEventListener('click', () => open(c.id))
        return li
      }),
    )
  }

  function messageNode(m) {
    const li = el('li', `msg ${m.author}`, m.text)
    li.dataset.messageId = m.id
    const time = el('time', '', new Date(m.at).toLocaleTimeString())
    time.dateTime = m.at
    li.append(time)
    return li
  }

  function renderProfile(p) {
    const dl = $('profile')
    if (!p) return dl.replaceChildren()
    const counts = (m) => Object.entries(m || {}).map(([k, n]) => `${k} ${n}`).join(', ')
    const rows = [
      ['Identities', (p.identities || []).join(', ')],
      ['First seen', p.first_seen && new Date(p.first_seen).toLocaleString()],
      ['Last seen', p.last_seen && new Date(p.last_seen).toLocaleString()],
      ['Messages in / out', `${p.messages_in} / ${p.messages_out}`],
      ['Channels', Object.keys(p.channels || {}).join(', ')],
      ['Languages', counts(p.languages)],
      ['Recent intents', (p.recent_intents || []).map((i) => i.intent.replace(/_/g, ' ')).join(', ')],
      ['Interests', Object.keys(p.interests || {}).join(', ')],
      ['Last agent response', p.response && p.response.last_secs !== undefined ? `${p.response.last_secs} s` : ''],
      ['Waiting since', p.waiting_since && new Date(p.waiting_since).toLocaleTimeString()],
    ]
    dl.replaceChildren(
      ...rows
        .filter(([, v]) => v !== undefined && v !== null && v !== '')
        .flatMap(([k, v]) => {
          const dd = el('dd', '', String(v))
          dd.dataset.field = k
          return [el('dt', '', k), dd]
        }),
    )
  }

  function open(id) {
    selected = id
    for (const li of $('conversations').children) li.classList.toggle('selected', li.dataset.conversation === id)
    socket.emit('open', id, (view) => {
      if (!view || selected !== id) return
      $('thread-title').textContent = view.name
      $('thread').replaceChildren(...view.messages.map(messageNode))
      $('thread').scrollTop = $('thread').scrollHeight
      renderProfile(view.profile)
      $('reply-text').disabled = false
      $('reply-send').disabled = false
      $('reply-text').focus()
    })
  }

  socket.on('connect', () => ($('status').textContent = 'live'))
  socket.on('disconnect', () => ($('status').textContent = 'offline'))
  socket.on('queue', renderList)
  socket.on('message', ({ conversation, message }) => {
    if (conversation !== selected) return
    const thread = $('thread')
    thread.append(messageNode(message))
    thread.scrollTop = thread.scrollHeight
  })
  socket.on('profile', ({ conversation, profile }) => conversation === selected && renderProfile(profile))

  $('reply').addEventListener('submit', (e) => {
    e.preventDefault()
    const input = $('reply-text')
    const text = input.value.trim()
    if (!selected || !text) return
    $('reply-send').disabled = true
    socket.emit('reply', { conversation: selected, text }, (result) => {
      $('reply-send').disabled = false
      const error = $('reply-error')
      error.hidden = !result.error
      error.textContent = result.error ? `Not sent (${result.error})` : ''
      if (result.ok) input.value = ''
    })
  })
})()
