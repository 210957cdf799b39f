package cmd

// storeName names the store a command works on, for a damaged store's error.
func (d *deps) storeName() string {
	cfg, err := d.storeConfig(true)
	if err != nil || cfg.Path == "" {
		return "(the store)"
	}
	return cfg.Path
}
