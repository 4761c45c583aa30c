module github.com/seed-c9ca4919/kalshi

go 1.26

require github.com/stretchr/testify v1.12.1 // indirect
