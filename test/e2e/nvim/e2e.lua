-- Drives cachelens-language-server from a real headless Neovim (0.7+) and writes
-- what the editor saw to a JSON file for test/e2e/nvim/nvim.test.ts to judge.
--
--   CACHELENS_SERVER    path of bin/cachelens-language-server
--   CACHELENS_ROOT      workspace folder (a copy of examples/node-app)
--   CACHELENS_SCENARIO  quickfix | fixall | command
--   CACHELENS_RESULT    where to write the JSON result
--   CACHELENS_TIMEOUT   ms to wait for each step (default 10000)
--
-- Usage: nvim --headless --noplugin -u e2e.lua <root>/Dockerfile
-- 0.7 has no vim.lsp.start: start_client + buf_attach_client, as an init.lua would.

local env = vim.env
local scenario = env.CACHELENS_SCENARIO or 'quickfix'
local timeout = tonumber(env.CACHELENS_TIMEOUT or '') or 10000
local started = vim.loop.hrtime()

local result = {
  scenario = scenario,
  nvim = vim.version(),
  ok = false,
  steps = {},
  logs = {},
}

local function ms()
  return math.floor((vim.loop.hrtime() - started) / 1e6)
end

local function step(name, data)
  table.insert(result.steps, { name = name, at_ms = ms(), data = data })
end

local function write_result()
  local f = assert(io.open(env.CACHELENS_RESULT, 'w'))
  f:write(vim.json.encode(result))
  f:close()
end

local function fail(msg)
  error({ cachelens_failure = msg }, 0)
end

local function wait_for(what, cond)
  local value
  local ok = vim.wait(timeout, function()
    value = cond()
    return value ~= nil and value ~= false
  end, 20)
  if not ok then fail('timed out after ' .. timeout .. ' ms waiting for ' .. what) end
  return value
end

-- The diagnostics the editor holds for the buffer, as vim.diagnostic sees them.
local function editor_diagnostics(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(out, {
      lnum = d.lnum,
      col = d.col,
      code = d.code,
      source = d.source,
      message = d.message,
      severity = d.severity,
      href = d.user_data and d.user_data.lsp and d.user_data.lsp.codeDescription and d.user_data.lsp.codeDescription.href or nil,
    })
  end
  return out
end

local function has_code(diags, code)
  for _, d in ipairs(diags) do
    if d.code == code then return d end
  end
  return nil
end

local function buffer_text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n') .. '\n'
end

local function request(bufnr, client_id, method, params)
  local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, timeout)
  if not responses then fail(method .. ' failed: ' .. tostring(err)) end
  local r = responses[client_id]
  if not r then fail(method .. ': no response from the cachelens client') end
  if r.err then fail(method .. ' returned an error: ' .. vim.inspect(r.err)) end
  return r.result
end

local function run()
  local bufnr = vim.api.nvim_get_current_buf()
  local file = vim.api.nvim_buf_get_name(bufnr)
  -- -u disables filetype detection; the languageId neovim sends is the filetype
  vim.bo[bufnr].filetype = 'dockerfile'
  result.file = file
  result.original = buffer_text(bufnr)

  local exit_code
  local client_id = vim.lsp.start_client({
    name = 'cachelens',
    cmd = { env.CACHELENS_SERVER, '--stdio' },
    root_dir = env.CACHELENS_ROOT,
    settings = { cachelens = { enable = true, run = 'onType' } },
    handlers = {
      ['window/logMessage'] = function(_, params)
        table.insert(result.logs, params)
      end,
      ['window/showMessage'] = function(_, params)
        table.insert(result.logs, params)
      end,
    },
    on_exit = function(code)
      exit_code = code
    end,
  })
  if not client_id then fail('vim.lsp.start_client returned nil') end
  if not vim.lsp.buf_attach_client(bufnr, client_id) then fail('buf_attach_client failed') end

  local client = wait_for('the client to initialize', function()
    local c = vim.lsp.get_client_by_id(client_id)
    return c and c.initialized and c
  end)
  step('initialized', { server = client.server_capabilities and client.server_capabilities.serverInfo or nil })

  local diags = wait_for('CL001 in vim.diagnostic', function()
    local d = editor_diagnostics(bufnr)
    return has_code(d, 'CL001') and d
  end)
  result.diagnostics_before = diags
  local cl001 = has_code(diags, 'CL001')
  step('diagnostics', { count = #diags, cl001_line = cl001.lnum })

  local hover = request(bufnr, client_id, 'textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = cl001.lnum, character = 1 },
  })
  result.hover = hover and hover.contents or vim.NIL
  step('hover')

  local uri = vim.uri_from_bufnr(bufnr)
  local action
  if scenario == 'quickfix' then
    -- what vim.lsp.buf.code_action() sends on that line in 0.7: the line's diagnostics converted back to LSP (data included)
    local line_diags = vim.lsp.diagnostic.get_line_diagnostics(bufnr, cl001.lnum)
    local actions = request(bufnr, client_id, 'textDocument/codeAction', {
      textDocument = { uri = uri },
      range = { start = { line = cl001.lnum, character = 0 }, ['end'] = { line = cl001.lnum, character = 0 } },
      context = { diagnostics = line_diags },
    }) or {}
    result.code_actions = vim.tbl_map(function(a) return { title = a.title, kind = a.kind } end, actions)
    for _, a in ipairs(actions) do
      if a.title == 'Split dependency manifest copy' then action = a end
    end
    if not action then fail('no "Split dependency manifest copy" among ' .. vim.inspect(result.code_actions)) end
  elseif scenario == 'fixall' then
    local last = vim.api.nvim_buf_line_count(bufnr) - 1
    local actions = request(bufnr, client_id, 'textDocument/codeAction', {
      textDocument = { uri = uri },
      range = { start = { line = 0, character = 0 }, ['end'] = { line = last, character = 0 } },
      context = { diagnostics = {}, only = { 'source.fixAll.cachelens' } },
    }) or {}
    result.code_actions = vim.tbl_map(function(a) return { title = a.title, kind = a.kind } end, actions)
    for _, a in ipairs(actions) do
      if a.kind == 'source.fixAll.cachelens' then action = a end
    end
    if not action then fail('no source.fixAll.cachelens action among ' .. vim.inspect(result.code_actions)) end
  end
  step('code actions', result.code_actions)

  if action then
    if not action.edit then fail('the code action carries no edit: ' .. vim.inspect(action)) end
    vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
  elseif scenario == 'command' then
    -- the server answers by sending workspace/applyEdit, which neovim's default handler applies
    request(bufnr, client_id, 'workspace/executeCommand', { command = 'cachelens.fixAll', arguments = { uri } })
    wait_for('the command\'s edit to reach the buffer', function()
      return buffer_text(bufnr) ~= result.original
    end)
  else
    fail('unknown scenario ' .. scenario)
  end
  result.fixed = buffer_text(bufnr)
  step('applied')

  result.diagnostics_after = wait_for('CL001 to clear after the edit', function()
    local d = editor_diagnostics(bufnr)
    if has_code(d, 'CL001') then return nil end
    return d
  end)
  step('diagnostics cleared', { count = #result.diagnostics_after })

  vim.cmd('silent write')
  step('written')

  vim.lsp.stop_client(client_id)
  wait_for('the server to exit', function() return exit_code ~= nil end)
  result.server_exit_code = exit_code
  step('stopped')
  result.ok = true
end

vim.api.nvim_create_autocmd('VimEnter', {
  once = true,
  callback = function()
    local ok, err = xpcall(run, function(e)
      if type(e) == 'table' and e.cachelens_failure then return e.cachelens_failure end
      return debug.traceback(tostring(e), 2)
    end)
    if not ok then
      result.ok = false
      result.error = err
    end
    result.total_ms = ms()
    local wrote, werr = pcall(write_result)
    if not wrote then io.stderr:write('cannot write result: ' .. tostring(werr) .. '\n') end
    vim.cmd(ok and 'qall!' or 'cquit! 3')
  end,
})
