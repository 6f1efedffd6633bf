# expect: memory_limit  -- maps 1 GB anonymous memory and touches every page
import mmap

m = mmap.mmap(-1, 1 << 30)
for i in range(0, 1 << 30, 4096):
    m[i] = 1
print(3)
