-- Each request books a different pre-registered pet: POST /pets/{id}/booking-requests,
-- with the bearer token of that pet's owner. args: pets_file ("pet_id token" lines) threads
local pets, tokens = {}, {}
local next_index, step = 1, 1
local clinics = {
  "6f1c2a44-5b7e-4c2d-9a51-0d6f3e8b9c10", "0b7e9d51-2f6a-4c3b-8e1d-5a9c7f2b4e60",
  "9d2c4b6a-8e1f-4a3c-b5d7-2e9f1a3c5b70", "3a5c7e9b-1d2f-4b6a-8c0e-7f1d3b5a9c80",
}
local clinic = 1

function init(args)
  for line in io.lines(args[1]) do
    local pet, token = line:match("^(%S+) (%S+)$")
    pets[#pets + 1] = pet
    tokens[#tokens + 1] = "Bearer " .. token
  end
  step = tonumber(args[2])
  next_index = thread_index + 1
  wrk.method = "POST"
end

function request()
  if pets[next_index] == nil then
    -- Out of fresh pets: start over (these answer 409, and the run reports it).
    exhausted = exhausted + 1
    next_index = thread_index + 1
  end
  local pet, token = pets[next_index], tokens[next_index]
  next_index = next_index + step
  clinic = clinic % #clinics + 1
  local body = '{"clinic_id":"' .. clinics[clinic] .. '","service":"vaccination"}'
  local headers = { ["Authorization"] = token, ["Content-Type"] = "application/json" }
  return wrk.format(nil, "/pets/" .. pet .. "/booking-requests", headers, body)
end
